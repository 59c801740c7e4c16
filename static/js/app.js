// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "../dist/govuk-frontend.min.js";
import { initRefresh } from "./refresh.js";
import { initReadAloud } from "./read-aloud.js";

initAll();
initRefresh();
initReadAloud();
