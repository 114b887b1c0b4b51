// The first screen drawn by the server (directory/render/first_screen.py) stays over the app until the
// app has drawn its own result cards, then goes. Until then the app underneath is inert,
// so a keyboard or a screen reader meets one page, not two. An "Add" pressed on the first screen is
// remembered and pressed on the app's own card once it is there, one at a time, each after the app is idle.
(function () {
  var shell = document.getElementById("ac-first");
  var root = document.getElementById("root");
  if (!shell) return;
  if (root) root.inert = true;
  var queued = [];
  shell.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.ac-add");
    if (!button || button.getAttribute("aria-disabled") === "true") return;
    var id = button.closest("[data-id]").getAttribute("data-id");
    if (queued.indexOf(id) < 0) queued.push(id);
    button.setAttribute("aria-disabled", "true");
    button.textContent = button.getAttribute("data-queued");
  });
  function idle() {
    var app = document.querySelector('[data-testid="stApp"]');
    return !!app && app.getAttribute("data-test-connection-state") === "CONNECTED" &&
      app.getAttribute("data-test-script-state") === "notRunning";
  }
  function press() {
    if (!queued.length) return;
    if (!idle()) { setTimeout(press, 50); return; }
    var id = queued.shift();
    var cards = document.querySelectorAll("#root ul.ac-list li[data-id]");
    for (var n = 0; n < cards.length; n++) {
      if (cards[n].getAttribute("data-id") !== id) continue;
      var add = cards[n].querySelector("button.ac-add");
      if (add && add.getAttribute("aria-disabled") !== "true") add.click();
      break;
    }
    setTimeout(press, 400);  // the press starts a rerun: wait for it to begin before checking idle again
  }
  var watcher;
  function done() {
    if (!shell.isConnected) return;
    if (watcher) watcher.disconnect();
    var top = shell.scrollTop;
    shell.remove();
    if (root) root.inert = false;
    var main = document.querySelector('[data-testid="stMain"]');
    if (top && main) main.scrollTop = top;
    press();
  }
  // The app's cards are drawn by their own element a moment after its run has ended: the first screen
  // goes when they are there. Should the app show something else (the catalog changed meanwhile), it
  // goes two seconds after the app's first run; whatever happens, after half a minute.
  var late;
  watcher = new MutationObserver(function () {
    if (document.querySelector("#root ul.ac-list li")) done();
    else if (!late && idle()) late = setTimeout(done, 2000);
  });
  watcher.observe(document.documentElement, {
    subtree: true, childList: true, attributes: true,
    attributeFilter: ["data-test-script-state", "data-test-connection-state"],
  });
  setTimeout(done, 30000);
})();
