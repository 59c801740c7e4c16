// Easy read's "Read this page aloud": the browser's own speech (speechSynthesis), no
// external service. The button is in the page hidden and shown only where speech works.
export function initReadAloud() {
  const button = document.querySelector("[data-read-aloud]");
  if (!button || !window.speechSynthesis || typeof window.SpeechSynthesisUtterance !== "function") {
    return;
  }
  const wrapper = button.closest(".app-read-aloud");
  const startText = button.textContent;
  const stopText = button.dataset.stopText || startText;
  const synth = window.speechSynthesis;

  const reset = () => {
    button.textContent = startText;
  };

  button.addEventListener("click", () => {
    if (synth.speaking) {
      synth.cancel();
      reset();
      return;
    }
    const main = document.getElementById("main-content");
    const words = (main ? main.innerText : document.body.innerText).trim();
    if (!words) {
      return;
    }
    const utterance = new SpeechSynthesisUtterance(words);
    utterance.lang = document.documentElement.lang || "en";
    utterance.rate = 0.9;
    utterance.onend = reset;
    utterance.onerror = reset;
    button.textContent = stopText;
    synth.speak(utterance);
  });
  if (wrapper) {
    wrapper.hidden = false;
  }
}
