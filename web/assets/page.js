"use strict";
// Copy buttons: each .ssh-block holds the command in <code>, a hidden button that
// only appears when this script runs, and a status line for screen readers. The Clipboard API needs a secure context; plain
// HTTP falls back to selecting the command so that one more keystroke copies it.
document.querySelectorAll(".ssh-block").forEach(function (box) {
  var code = box.querySelector("code");
  var button = box.querySelector("button.copy");
  var status = box.querySelector(".copy-status");
  if (!code || !button || !status) {
    return;
  }
  var timer = 0;
  function say(message, label) {
    status.textContent = message;
    button.textContent = label;
    clearTimeout(timer);
    timer = setTimeout(function () {
      status.textContent = "";
      button.textContent = "Copy";
    }, 4000);
  }
  function selectCommand() {
    var range = document.createRange();
    range.selectNodeContents(code);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  function fallback() {
    selectCommand();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (e) {
      copied = false;
    }
    if (copied) {
      say("Copied. Paste it into a terminal.", "Copied");
    } else {
      say("Selected: press Ctrl+C (or \u2318C) to copy.", "Copy");
    }
  }
  button.addEventListener("click", function () {
    var command = code.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(command).then(function () {
        say("Copied. Paste it into a terminal.", "Copied");
      }, fallback);
    } else {
      fallback();
    }
  });
  button.hidden = false;
});
