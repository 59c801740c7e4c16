// Pages that show work in progress reload themselves, with a way to stop it
// (WCAG 2.2.1: timing adjustable). Without JavaScript they offer a link instead.
// Markup: <div data-app-refresh="5"> ... </div>

export function initRefresh(root = document) {
  const box = root.querySelector("[data-app-refresh]");
  if (!box) return;
  const seconds = Math.max(5, parseInt(box.dataset.appRefresh, 10) || 5);
  const note = document.createElement("p");
  note.className = "govuk-body";
  note.textContent = `This page refreshes every ${seconds} seconds.`;
  const stop = document.createElement("button");
  stop.type = "button";
  stop.className = "govuk-button govuk-button--secondary govuk-!-margin-bottom-0";
  stop.textContent = "Stop refreshing this page";
  let timer = window.setTimeout(() => window.location.reload(), seconds * 1000);
  stop.addEventListener("click", () => {
    window.clearTimeout(timer);
    timer = null;
    note.textContent = "This page no longer refreshes by itself.";
    stop.remove();
  });
  box.append(note, stop);
}
