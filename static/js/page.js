// Behaviour every page may use, without inline handlers (the Content-Security-Policy allows none):
// <form data-confirm="Delete this?"> asks before it is sent; <button data-print> prints the page.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset?.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
