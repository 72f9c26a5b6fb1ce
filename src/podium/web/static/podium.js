// Progressive enhancement only: every page works without this file.
// "/" focuses the search box; facet lists longer than the screen stay usable without it.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (document.activeElement && document.activeElement.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    var box = document.getElementById("search-q") || document.getElementById("home-q") ||
      document.getElementById("site-q");
    if (box) { event.preventDefault(); box.focus(); box.select(); }
  });
  // Mark the exchange card that holds the turn named in the address, so it stands out.
  function markTarget() {
    document.querySelectorAll(".exchange.targeted").forEach(function (el) { el.classList.remove("targeted"); });
    if (!location.hash) return;
    var el = document.getElementById(location.hash.slice(1));
    var card = el && el.closest(".exchange");
    if (card) card.classList.add("targeted");
  }
  // On a narrow screen the filters start folded under the results; on a wide one they stay open.
  document.addEventListener("DOMContentLoaded", function () {
    if (window.matchMedia("(max-width: 820px)").matches) {
      document.querySelectorAll("details.facets").forEach(function (d) { d.open = false; });
    }
  });
  // A "Copy" button beside each citation box (the boxes stay selectable without script).
  function addCopyButtons() {
    document.querySelectorAll(".cite textarea").forEach(function (box) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy";
      button.textContent = "Copy";
      var label = box.closest("label");
      button.setAttribute("aria-label", "Copy " + ((label && label.firstChild && label.firstChild.textContent) || "citation").trim());
      button.addEventListener("click", function () {
        var done = function () { button.textContent = "Copied"; };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(box.value).then(done, function () { box.select(); });
        } else {
          box.select();
          if (document.execCommand("copy")) done();
        }
      });
      (label || box).insertAdjacentElement("afterend", button);
    });
  }
  document.addEventListener("DOMContentLoaded", addCopyButtons);
  window.addEventListener("hashchange", markTarget);
  document.addEventListener("DOMContentLoaded", markTarget);
})();
