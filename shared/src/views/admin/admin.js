// Grove's admin script: progressive enhancement only. Every admin page
// works without it. Served from the blog's host at /admin/static/admin.js,
// the one script the admin's Content-Security-Policy allows.
//
// 1. Time zones: where the blog has none set (`data-from-browser`), the
//    editor shows its time in the browser's zone and says so in the form,
//    and the settings page preselects the browser's zone.
// 2. The error summary of a refused form takes focus.
// 3. Leaving an editor with unsaved text asks first.
(function () {
  "use strict";

  function browserZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) {
      return "";
    }
  }

  // "2026-12-01T09:30" read as UTC, written as the wall clock of `zone`.
  function utcToZone(value, zone) {
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
    if (!m) return null;
    var at = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]));
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    }).formatToParts(at).forEach(function (p) { parts[p.type] = p.value; });
    return parts.year + "-" + parts.month + "-" + parts.day + "T" +
      parts.hour + ":" + parts.minute;
  }

  function adoptBrowserZone() {
    var zone = browserZone();
    if (!zone || zone === "UTC" || zone === "Etc/UTC") return;
    var hidden = document.querySelector("input[name=time_zone][data-from-browser]");
    if (hidden && hidden.value === "") {
      var input = document.getElementById("publish_at");
      try {
        if (input && input.value) {
          var local = utcToZone(input.value, zone);
          if (!local) return;
          input.value = local;
        }
      } catch (e) {
        return; // a zone this browser cannot format: stay in UTC
      }
      hidden.value = zone;
      var label = document.getElementById("publish_at-zone");
      if (label) label.textContent = zone;
    }
    var select = document.querySelector("select#time_zone[data-from-browser]");
    if (select) {
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === zone) {
          select.selectedIndex = i;
          break;
        }
      }
    }
  }

  function focusErrors() {
    var summary = document.querySelector("[data-focus]");
    if (summary && document.activeElement !== summary) summary.focus();
  }

  function warnOnLeave() {
    var forms = document.querySelectorAll("form[data-warn-unsaved]");
    if (!forms.length) return;
    var saved = [];
    var leaving = false;
    function state(form) {
      var out = [];
      for (var i = 0; i < form.elements.length; i++) {
        var el = form.elements[i];
        if (!el.name || el.type === "submit" || el.type === "hidden") continue;
        out.push(el.name + "=" + (el.type === "checkbox" ? el.checked : el.value));
      }
      return out.join("&");
    }
    Array.prototype.forEach.call(forms, function (form, i) {
      saved[i] = form.hasAttribute("data-unsaved") ? null : state(form);
      form.addEventListener("submit", function (event) {
        // Preview opens in a new tab: this page stays, still unsaved.
        var by = event.submitter;
        if (by && by.getAttribute("formtarget") === "_blank") return;
        leaving = true;
      });
    });
    window.addEventListener("beforeunload", function (event) {
      if (leaving) return;
      var dirty = Array.prototype.some.call(forms, function (form, i) {
        return saved[i] === null || saved[i] !== state(form);
      });
      if (dirty) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  adoptBrowserZone();
  focusErrors();
  warnOnLeave();
})();
