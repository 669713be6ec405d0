// Listening page behaviour: loudness-matched playback, the playback cursor
// over each figure, and the ABX blocks (answers kept in localStorage under
// the page's id, exported as CSV). Runs from file:// with nothing fetched.
(function () {
  "use strict";
  var body = document.body;
  var pageId = body.getAttribute("data-page-id");
  var storeKey = "percepnet-listening-page/" + pageId;
  var files = Array.prototype.slice.call(document.querySelectorAll("section.file"));

  // ---- loudness match: within a file, every player whose data-match is set
  // is attenuated to the quietest of them (a media element cannot amplify);
  // the others (residuals) get the same gain as their own run's output.
  function applyLoudness(on) {
    files.forEach(function (sec) {
      var players = sec.querySelectorAll("audio[data-lufs]");
      var target = Infinity;
      players.forEach(function (a) {
        if (a.hasAttribute("data-match")) target = Math.min(target, +a.getAttribute("data-lufs"));
      });
      players.forEach(function (a) {
        var ref = a.getAttribute("data-gain-of");
        var src = ref ? sec.querySelector("audio[data-run='" + ref + "']") : a;
        var lufs = +src.getAttribute("data-lufs");
        var v = on && isFinite(target) ? Math.pow(10, (target - lufs) / 20) : 1;
        a.volume = Math.max(0, Math.min(1, v));
      });
    });
  }
  var match = document.getElementById("loudness-match");
  match.addEventListener("change", function () { applyLoudness(match.checked); });
  applyLoudness(match.checked);

  // ---- one player at a time; the cursor follows the playing one.
  var playing = null;
  document.querySelectorAll("audio").forEach(function (a) {
    a.addEventListener("play", function () {
      if (playing && playing !== a) playing.pause();
      playing = a;
      requestAnimationFrame(tick);
    });
  });
  function tick() {
    if (!playing) return;
    var sec = playing.closest("section.file");
    var fig = sec && sec.querySelector(".figure");
    if (fig) {
      var img = fig.querySelector("img"), cur = fig.querySelector(".cursor");
      var l = +fig.getAttribute("data-ax-left"), r = +fig.getAttribute("data-ax-right");
      var d = +fig.getAttribute("data-duration");
      var x = img.clientWidth * (l + (r - l) * Math.min(1, playing.currentTime / d));
      cur.style.left = x + "px";
      cur.style.display = "block";
    }
    if (!playing.paused) requestAnimationFrame(tick);
  }
  // A click on a figure moves the file's last played player (or its input)
  // to that time.
  document.querySelectorAll(".figure img").forEach(function (img) {
    img.addEventListener("click", function (ev) {
      var fig = img.parentNode, sec = img.closest("section.file");
      var l = +fig.getAttribute("data-ax-left"), r = +fig.getAttribute("data-ax-right");
      var f = (ev.offsetX / img.clientWidth - l) / (r - l);
      if (f < 0 || f > 1) return;
      var a = playing && playing.closest("section.file") === sec ? playing
        : sec.querySelector("audio[data-run='input']");
      a.currentTime = f * (+fig.getAttribute("data-duration"));
      requestAnimationFrame(tick);
    });
  });

  // ---- ABX answers: {key: {answer: "A"|"B", at: ISO time}}.
  function load() {
    try {
      return JSON.parse(localStorage.getItem(storeKey) || "{}") || {};
    } catch (e) {
      return {};
    }
  }
  function save(ans) {
    try { localStorage.setItem(storeKey, JSON.stringify(ans)); } catch (e) { /* storage off */ }
  }
  var answers = load();
  var blocks = Array.prototype.slice.call(document.querySelectorAll(".abx"));
  var showScore = false;

  function render() {
    var n = 0, right = 0;
    blocks.forEach(function (b) {
      var a = answers[b.getAttribute("data-key")];
      var st = b.querySelector(".abx-status");
      b.querySelectorAll("button[data-answer]").forEach(function (btn) {
        btn.classList.toggle("chosen", !!a && a.answer === btn.getAttribute("data-answer"));
      });
      if (!a) { st.textContent = "not answered"; return; }
      n++;
      var ok = a.answer === b.getAttribute("data-x");
      if (ok) right++;
      st.textContent = "answered: X is " + a.answer +
        (showScore ? (ok ? " (correct)" : " (wrong: X is " + b.getAttribute("data-x") + ")") : "");
    });
    document.getElementById("abx-progress").textContent =
      n + " of " + blocks.length + " answered" + (showScore ? ", " + right + " correct" : "");
  }
  blocks.forEach(function (b) {
    b.querySelectorAll("button[data-answer]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        answers[b.getAttribute("data-key")] = {
          answer: btn.getAttribute("data-answer"), at: new Date().toISOString()
        };
        save(answers);
        render();
      });
    });
  });

  function csvField(s) {
    s = String(s);
    return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  // CSV of the answered blocks in page order.
  function csv() {
    var rows = [["page_id", "abx_seed", "file", "x_is", "answer", "correct", "answered_at"]];
    blocks.forEach(function (b) {
      var k = b.getAttribute("data-key"), a = answers[k];
      if (!a) return;
      var x = b.getAttribute("data-x");
      rows.push([pageId, body.getAttribute("data-abx-seed"), b.getAttribute("data-name"), x,
                 a.answer, a.answer === x ? 1 : 0, a.at]);
    });
    return rows.map(function (r) { return r.map(csvField).join(","); }).join("\n") + "\n";
  }
  var exp = document.getElementById("abx-export");
  if (exp) {
    exp.addEventListener("click", function () {
      var url = URL.createObjectURL(new Blob([csv()], { type: "text/csv" }));
      var link = document.createElement("a");
      link.href = url;
      link.download = "abx-" + pageId + ".csv";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    });
    document.getElementById("abx-score").addEventListener("click", function () {
      showScore = !showScore;
      render();
    });
    document.getElementById("abx-clear").addEventListener("click", function () {
      if (!window.confirm("Clear every ABX answer of this page?")) return;
      answers = {};
      save(answers);
      render();
    });
    render();
  }
})();
