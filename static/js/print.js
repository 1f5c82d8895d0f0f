// The print button on print views (no inline handlers, so the page works under a strict CSP).
for (const button of document.querySelectorAll('[data-print]')) {
  button.addEventListener('click', () => window.print());
}
