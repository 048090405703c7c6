// Progressive enhancement for the printable agenda and minutes: shows the
// "Print or save as PDF" button, which is hidden when JavaScript is off.
document.querySelectorAll('[data-print]').forEach(function (button) {
  button.hidden = false;
  button.addEventListener('click', function () {
    window.print();
  });
});
