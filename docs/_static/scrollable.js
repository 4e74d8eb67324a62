// A code block, an output or a formula wider than the page scrolls sideways; let keyboard
// users reach it (WCAG 2.1.1): give each such block a tab stop and say what it is.
// Formulas: the scrolling box is KaTeX's .katex-display (custom.css), not the drawing
// inside it, which KaTeX hides from screen readers (they read its MathML instead).
const SCROLLING = [
  ["pre", "Code or output, scrolls sideways"],
  [".katex-display", "Formula, scrolls sideways"],
];

document.addEventListener("DOMContentLoaded", () => {
  for (const [selector, label] of SCROLLING) {
    for (const block of document.querySelectorAll(selector)) {
      if (block.scrollWidth > block.clientWidth && !block.hasAttribute("tabindex")) {
        block.setAttribute("tabindex", "0");
        block.setAttribute("role", "region");
        block.setAttribute("aria-label", label);
      }
    }
  }
});
