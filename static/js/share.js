// The share button (templates/_share_button.html) and copy buttons ([data-copy]).
// On a phone, the system's share sheet (navigator.share); elsewhere the link is copied
// to the clipboard. The result is announced in the button's status region. Loaded as a
// file: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  function announce(button, text) {
    var region = document.getElementById(button.getAttribute("data-status-target") || "");
    if (!region) {
      return;
    }
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
    }, 50);
  }

  function copyWithSelection(text) {
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.className = "visually-hidden";
    document.body.appendChild(field);
    field.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    document.body.removeChild(field);
    return copied ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return copyWithSelection(text);
      });
    }
    return copyWithSelection(text);
  }

  function onPhone() {
    return (
      typeof navigator.share === "function" &&
      window.matchMedia("(pointer: coarse)").matches
    );
  }

  function copyAndTell(button, text) {
    copy(text).then(
      function () {
        announce(button, button.getAttribute("data-copied"));
      },
      function () {
        announce(button, button.getAttribute("data-copy-failed") || text);
      }
    );
  }

  function share(button) {
    var url = button.getAttribute("data-share-url");
    if (onPhone()) {
      navigator
        .share({ title: button.getAttribute("data-share-title"), url: url })
        .then(function () {
          announce(button, button.getAttribute("data-shared"));
        })
        .catch(function (error) {
          if (!error || error.name !== "AbortError") {
            copyAndTell(button, url);
          }
        });
      return;
    }
    copyAndTell(button, url);
  }

  function setUp(root) {
    var buttons = root.querySelectorAll("[data-share], [data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      if (button.hasAttribute("data-ready")) {
        return;
      }
      button.setAttribute("data-ready", "");
      button.hidden = false;
      button.addEventListener("click", function () {
        if (button.hasAttribute("data-share")) {
          share(button);
        } else {
          copyAndTell(button, button.getAttribute("data-copy"));
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      setUp(document);
    });
  } else {
    setUp(document);
  }
  document.addEventListener("htmx:load", function (event) {
    setUp(event.target);
  });
})();
