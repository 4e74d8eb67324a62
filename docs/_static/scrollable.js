// A code block or output wider than the page scrolls sideways; let keyboard users reach it
// (WCAG 2.1.1): give each scrollable <pre> a tab stop and say what it is.
document.addEventListener("DOMContentLoaded", () => {
  for (const pre of document.querySelectorAll("pre")) {
    if (pre.scrollWidth > pre.clientWidth && !pre.hasAttribute("tabindex")) {
      pre.setAttribute("tabindex", "0");
      pre.setAttribute("role", "region");
      pre.setAttribute("aria-label", "Code or output, scrolls sideways");
    }
  }
});
