// Sets the theme on <html> before the first paint, so a dark page does not flash white while
// the app loads. A file rather than an inline script: the Content-Security-Policy allows
// scripts from this origin only ('self', no hashes). src/theme.ts reads the same key and
// takes over once the app runs.
/* global localStorage, matchMedia, window, document */
;(function () {
  var choice = null
  try {
    choice = localStorage.getItem('profhub:theme')
  } catch (e) {
    // Storage refused: follow the system.
  }
  var dark =
    choice === 'dark' ||
    (choice !== 'light' &&
      !!window.matchMedia &&
      matchMedia('(prefers-color-scheme: dark)').matches)
  document.documentElement.setAttribute('data-theme', dark ? 'dark' : 'light')
})()
