// Explorables (docs/_ext/explorables.py): pictures the reader changes. Every state was computed
// by nnbasics when the site was built (docs/_ext/explorable_data.py); this script only draws it.
// Each explorable loads its data file (a script, so that it works from file:// too) when it
// scrolls into view; nothing else is fetched. Plain JavaScript, no framework.
"use strict";

(() => {
  const NS = "http://www.w3.org/2000/svg";
  const received = {};
  const loading = {};
  window.nnbasicsExplorable = (name, data) => {
    received[name] = data;
  };

  // ---- Small helpers --------------------------------------------------------------------------
  const make = (tag, attributes = {}, parent = null, text = null) => {
    const node = tag.startsWith("html:")
      ? document.createElement(tag.slice(5))
      : document.createElementNS(NS, tag);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    if (text !== null) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  };
  const fixed = (value, digits) => {
    const text = value.toFixed(digits);
    return Number(text) === 0 ? (0).toFixed(digits) : text.replace("-", "\u2212");
  };
  const percent = (value) => `${Math.round(1000 * value) / 10} %`;
  const sigmoid = (z) => {
    const e = Math.exp(-Math.abs(z)); // as nnbasics.activations.sigmoid
    return z >= 0 ? 1 / (1 + e) : e / (1 + e);
  };
  const line = (points) =>
    points.map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(1)} ${y.toFixed(1)}`).join("");
  let clipCount = 0;
  const STAR = (x, y) => `M${x} ${y}l2.4 5.3 5.6.6-4.2 3.9 1.2 5.6-5-2.9-5 2.9 1.2-5.6-4.2-3.9 5.6-.6z`;

  // Colours come from the style sheet (furo's variables), so both themes read well.
  const probe = document.createElement("canvas").getContext("2d", { willReadFrequently: true });
  const rgb = (root, name) => {
    probe.fillStyle = "#000";
    probe.fillStyle = getComputedStyle(root).getPropertyValue(name).trim() || "#000";
    probe.fillRect(0, 0, 1, 1);
    return Array.from(probe.getImageData(0, 0, 1, 1).data.slice(0, 3));
  };
  const VIRIDIS = [[68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
    [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37]];
  const viridis = (t) => {
    const s = Math.min(Math.max(t, 0), 1) * (VIRIDIS.length - 1);
    const i = Math.min(Math.floor(s), VIRIDIS.length - 2);
    return VIRIDIS[i].map((c, k) => c + (s - i) * (VIRIDIS[i + 1][k] - c));
  };
  // Two classes: the colour of the likelier one, stronger the surer the model is.
  const classColour = (root) => {
    const c0 = rgb(root, "--explorable-c0");
    const c1 = rgb(root, "--explorable-c1");
    return (p) => [...(p >= 0.5 ? c1 : c0), Math.round(255 * (0.06 + 0.34 * Math.abs(2 * p - 1)))];
  };

  // ---- Plots ------------------------------------------------------------------------------------
  // An SVG plot with axes and ticks; returns its scales and a clipped layer to draw in.
  const plot = (parent, o) => {
    const m = o.margin || { l: 46, r: 12, t: 12, b: 40 };
    const root = make("svg", { viewBox: `0 0 ${o.width} ${o.height}`, class: "explorable-plot",
      "aria-hidden": "true", focusable: "false" }, parent);
    const w = o.width - m.l - m.r;
    const h = o.height - m.t - m.b;
    const ty = o.logy ? Math.log10 : (v) => v;
    const sx = (v) => m.l + ((v - o.x[0]) / (o.x[1] - o.x[0])) * w;
    const sy = (v) => m.t + h - ((ty(v) - ty(o.y[0])) / (ty(o.y[1]) - ty(o.y[0]))) * h;
    const id = `explorable-clip-${++clipCount}`;
    make("rect", { x: m.l, y: m.t, width: w, height: h }, make("clipPath", { id }, root));
    const axes = make("g", { class: "explorable-axes" }, root);
    for (const t of o.xticks) {
      make("line", { x1: sx(t), x2: sx(t), y1: m.t + h, y2: m.t + h + 4 }, axes);
      make("text", { x: sx(t), y: m.t + h + 16, "text-anchor": "middle" }, axes, String(t));
    }
    for (const t of o.yticks) {
      make("line", { x1: m.l - 4, x2: m.l, y1: sy(t), y2: sy(t) }, axes);
      make("text", { x: m.l - 7, y: sy(t) + 4, "text-anchor": "end" }, axes, String(t));
    }
    make("text", { x: m.l + w / 2, y: o.height - 6, "text-anchor": "middle" }, axes, o.xlabel);
    make("text", { x: 13, y: m.t + h / 2, "text-anchor": "middle",
      transform: `rotate(-90 13 ${m.t + h / 2})` }, axes, o.ylabel);
    const layer = make("g", { "clip-path": `url(#${id})` }, root);
    make("rect", { x: m.l, y: m.t, width: w, height: h, class: "explorable-frame" }, root);
    return { root, layer, sx, sy, o };
  };

  // A field of values on a grid of nx * ny points spanning the plot (row 0 at the bottom), drawn
  // as an image (one pixel per point, smoothed by the browser) and coloured by colour(value).
  const field = (p, image, values, nx, ny, colour) => {
    const canvas = document.createElement("canvas");
    canvas.width = nx;
    canvas.height = ny;
    const context = canvas.getContext("2d");
    const pixels = context.createImageData(nx, ny);
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const c = colour(values[j * nx + i]);
        pixels.data.set([c[0], c[1], c[2], c.length > 3 ? c[3] : 255], 4 * ((ny - 1 - j) * nx + i));
      }
    }
    context.putImageData(pixels, 0, 0);
    const [x0, x1] = p.o.x;
    const [y0, y1] = p.o.y;
    const dx = (x1 - x0) / (nx - 1) / 2;
    const dy = (y1 - y0) / (ny - 1) / 2;
    image.setAttribute("href", canvas.toDataURL());
    image.setAttribute("x", p.sx(x0 - dx));
    image.setAttribute("y", p.sy(y1 + dy));
    image.setAttribute("width", p.sx(x1 + dx) - p.sx(x0 - dx));
    image.setAttribute("height", p.sy(y0 - dy) - p.sy(y1 + dy));
    image.setAttribute("preserveAspectRatio", "none");
  };

  // The line where a grid of values crosses level (marching squares), as an SVG path.
  const contour = (p, values, nx, ny, level) => {
    const [x0, x1] = p.o.x;
    const [y0, y1] = p.o.y;
    const at = (i, j) => [p.sx(x0 + (i * (x1 - x0)) / (nx - 1)), p.sy(y0 + (j * (y1 - y0)) / (ny - 1))];
    const cross = (i0, j0, i1, j1) => {
      const a = values[j0 * nx + i0] - level;
      const t = a / (a - (values[j1 * nx + i1] - level));
      const [xa, ya] = at(i0, j0);
      const [xb, yb] = at(i1, j1);
      return [xa + t * (xb - xa), ya + t * (yb - ya)];
    };
    let d = "";
    for (let j = 0; j < ny - 1; j++) {
      for (let i = 0; i < nx - 1; i++) {
        const edges = [[i, j, i + 1, j], [i + 1, j, i + 1, j + 1], [i, j + 1, i + 1, j + 1], [i, j, i, j + 1]]
          .filter(([a, b, c, e]) => (values[b * nx + a] >= level) !== (values[e * nx + c] >= level))
          .map((edge) => cross(...edge));
        for (let k = 0; k + 1 < edges.length; k += 2) d += line([edges[k], edges[k + 1]]);
      }
    }
    return d;
  };

  // Loss curves: [{values, className, label}], with a marker at epoch `at` (values[at - 1]).
  const curves = (p, group, series, at) => {
    group.replaceChildren();
    for (const s of series) {
      const points = s.values.map((v, i) => [p.sx(i + 1), p.sy(Math.max(v, p.o.y[0]))]);
      make("path", { d: line(points), class: s.className }, group);
    }
    make("line", { x1: p.sx(at), x2: p.sx(at), y1: p.sy(p.o.y[0]), y2: p.sy(p.o.y[1]),
      class: "explorable-now" }, group);
  };
  // A legend: [className, text], drawn as a dot (class colours), a square or a line (the rest).
  const legend = (parent, items) => {
    const list = make("html:ul", { class: "explorable-legend" }, parent);
    for (const [className, text] of items) {
      const item = make("html:li", {}, list);
      const key = make("svg", { viewBox: "0 0 20 16", width: 20, height: 16, "aria-hidden": "true" }, item);
      if (/class|wrong/.test(className)) make("circle", { cx: 10, cy: 8, r: 4, class: className }, key);
      else if (/star-/.test(className)) make("path", { d: STAR(10, 1), class: className }, key);
      else if (/start/.test(className)) make("rect", { x: 5, y: 3, width: 10, height: 10, class: className }, key);
      else make("line", { x1: 1, x2: 19, y1: 8, y2: 8, class: className }, key);
      item.append(` ${text}`);
    }
  };
  const dots = (p, group, points, className, radius) => {
    group.replaceChildren();
    for (const [x, y, label] of points) {
      make("circle", { cx: p.sx(x), cy: p.sy(y), r: radius, class: `${className} explorable-class${label}` }, group);
    }
  };

  // ---- 1. A neuron you can set ----------------------------------------------------------------
  const neuron = (root, data, { figure, key, readout }) => {
    const p = plot(figure, { width: 360, height: 330, x: [0, 10], y: [0, 10], xticks: [0, 2, 4, 6, 8, 10],
      yticks: [0, 2, 4, 6, 8, 10], xlabel: "hours studied", ylabel: "previous knowledge" });
    const image = make("image", {}, p.layer);
    const sure = make("path", { class: "explorable-sure" }, p.layer);
    const boundary = make("path", { class: "explorable-boundary" }, p.layer);
    const students = make("g", {}, p.layer);
    const marks = data.X.map(([h, , k]) => make("circle", { cx: p.sx(h), cy: p.sy(k), r: 3.2 }, students));
    const chosen = make("circle", { r: 7, class: "explorable-chosen" }, p.layer);
    legend(key, [["explorable-class1", "passed"], ["explorable-class0", "failed"],
      ["explorable-wrong-key", "predicted wrongly"], ["explorable-boundary-key", "P(pass) = 0.5; dashed: 0.1 and 0.9"]]);
    const note = make("html:p", { class: "explorable-note" }, key);
    const names = data.features;
    return (state) => {
      const w = [state.w0, state.w1, state.w2, state.w3];
      const z = data.X.map((x) => w[0] * x[0] + w[1] * x[1] + w[2] * x[2] + w[3] * x[3] + state.b);
      const right = z.filter((zi, i) => (sigmoid(zi) > 0.5) === (data.y[i] === 1)).length;
      const s = state.student;
      const x = data.X[s];
      const rest = w[1] * x[1] + w[3] * x[3] + state.b; // the two features held at the student's values
      const grid = [];
      for (let j = 0; j < 41; j++) for (let i = 0; i < 41; i++) grid.push(sigmoid(w[0] * i / 4 + w[2] * j / 4 + rest));
      field(p, image, grid, 41, 41, classColour(root));
      // Where w0 h + w2 k + rest = c: the boundary (c = 0) and P = 0.1, 0.9 (c = -+ln 9).
      const level = (c) => {
        if (Math.abs(w[0]) < 1e-12 && Math.abs(w[2]) < 1e-12) return "";
        if (Math.abs(w[2]) >= Math.abs(w[0])) return line([-1, 11].map((h) => [p.sx(h), p.sy((c - rest - w[0] * h) / w[2])]));
        return line([-1, 11].map((k) => [p.sx((c - rest - w[2] * k) / w[0]), p.sy(k)]));
      };
      boundary.setAttribute("d", level(0));
      sure.setAttribute("d", level(Math.log(9)) + level(-Math.log(9)));
      marks.forEach((mark, i) => {
        const wrong = (sigmoid(z[i]) > 0.5) !== (data.y[i] === 1);
        mark.setAttribute("class", `explorable-class${data.y[i]}${wrong ? " explorable-wrong" : ""}`);
      });
      chosen.setAttribute("cx", p.sx(x[0]));
      chosen.setAttribute("cy", p.sy(x[2]));
      note.textContent = `The background and the lines are for a student whose smartness (${fixed(x[1], 1)}) and `
        + `name (${fixed(x[3], 1)}) are those of student ${s} (circled). The other students differ in those `
        + "two, so a few sit on the other side of the line and are still predicted right.";
      const prob = sigmoid(z[s]);
      const passed = data.y[s] === 1;
      const verdict = `predicted to ${prob > 0.5 ? "pass" : "fail"}; ${passed ? "passed" : "failed"}`;
      readout.replaceChildren();
      const table = make("html:table", { class: "explorable-table" }, readout);
      make("html:caption", {}, table, `Student ${s}: the weighted sum`);
      const rows = [["feature", "x", "w", "w \u00d7 x"],
        ...names.map((name, i) => [name, fixed(x[i], 2), fixed(w[i], 1), fixed(x[i] * w[i], 2)]),
        ["bias", "", "", fixed(state.b, 2)], ["z = sum", "", "", fixed(z[s], 2)]];
      rows.forEach((cells, r) => {
        const row = make("html:tr", {}, table);
        cells.forEach((cell, c) => make(r === 0 || c === 0 ? "html:th" : "html:td",
          r === 0 ? { scope: "col" } : c === 0 ? { scope: "row" } : {}, row, cell));
      });
      const result = make("html:p", { class: "explorable-result", "data-z": String(z[s]), "data-p": String(prob),
        "data-right": String(right) }, readout);
      result.textContent = `P(pass) = \u03c3(z) = \u03c3(${fixed(z[s], 2)}) = ${fixed(prob, 3)}: ${verdict}. `
        + `The neuron is right for ${right} of ${data.y.length} students (${percent(right / data.y.length)}).`;
      const across = Math.abs(w[0]) < 1e-12 && Math.abs(w[2]) < 1e-12
        ? "hours and knowledge make no difference: every such student gets the same P(pass)"
        : `it says pass where ${fixed(w[0], 1)} \u00d7 hours + ${fixed(w[2], 1)} \u00d7 knowledge > ${fixed(-rest, 2)}`;
      return `Student ${s} (hours ${fixed(x[0], 1)}, smart ${fixed(x[1], 1)}, knowledge ${fixed(x[2], 1)}, `
        + `name ${fixed(x[3], 1)}): z = ${fixed(z[s], 2)}, P(pass) = ${fixed(prob, 3)}, ${verdict}. `
        + `Right for ${right} of ${data.y.length} students. For a student with this smartness and name, ${across}.`;
    };
  };

  // ---- 2. Gradient descent and the learning rate ----------------------------------------------
  const descent = (root, data, { figure, key, readout, controls }) => {
    const [h0, h1, nh] = data.hours;
    const [n0, n1, nn] = data.name;
    const map = plot(figure, { width: 360, height: 300, x: [h0, h1], y: [n0, n1], xticks: [0, 5, 10, 15],
      yticks: [-6, -3, 0, 3, 6], xlabel: "weight of hours studied", ylabel: "weight of name" });
    const logs = data.surface.flat().map(Math.log10);
    const [low, high] = [Math.min(...logs), Math.max(...logs)];
    field(map, make("image", {}, map.layer), logs, nh, nn, (v) => viridis((v - low) / (high - low)));
    const levels = Array.from({ length: 12 }, (_, i) => low + ((i + 0.5) * (high - low)) / 12);
    make("path", { d: levels.map((v) => contour(map, logs, nh, nn, v)).join(""), class: "explorable-contour" }, map.layer);
    const halo = make("path", { class: "explorable-halo" }, map.layer);
    const path = make("path", { class: "explorable-path" }, map.layer);
    const start = make("rect", { width: 9, height: 9, class: "explorable-start" }, map.layer);
    const [th, tn] = data.trained;
    const now = make("circle", { r: 5, class: "explorable-now-dot" }, map.layer);
    make("path", { d: STAR(map.sx(th), map.sy(tn) - 8), class: "explorable-star" }, map.layer);
    const loss = plot(figure, { width: 360, height: 300, x: [0, 50], y: [0.03, 30], logy: true,
      xticks: [0, 10, 20, 30, 40, 50], yticks: [0.1, 1, 10], xlabel: "step", ylabel: "loss (log scale)" });
    const all = make("path", { class: "explorable-faint" }, loss.layer);
    const done = make("path", { class: "explorable-path-line" }, loss.layer);
    const dot = make("circle", { r: 4, class: "explorable-now-dot" }, loss.layer);
    legend(key, [["explorable-path-key", "descent path"], ["explorable-start-key", "start"],
      ["explorable-star-key", "the trained model"]]);
    const button = make("html:button", { type: "button", class: "explorable-play" }, controls, "Play the descent");
    const stepInput = root.querySelector("input[data-key=step]");
    let timer = null;
    const stop = () => {
      clearInterval(timer);
      timer = null;
      button.textContent = "Play the descent";
    };
    button.addEventListener("click", () => {
      if (timer) return stop();
      if (Number(stepInput.value) >= Number(stepInput.max)) stepInput.value = "0";
      button.textContent = "Pause";
      const advance = () => {
        stepInput.value = String(Number(stepInput.value) + 1);
        stepInput.dispatchEvent(new Event("input", { bubbles: true }));
        if (Number(stepInput.value) >= Number(stepInput.max)) stop();
      };
      stepInput.dispatchEvent(new Event("input", { bubbles: true }));
      timer = setInterval(advance, 120);
      return undefined;
    });
    root.addEventListener("pointerdown", (event) => event.target !== button && stop());
    root.addEventListener("keydown", (event) => event.target !== button && stop());
    return (state) => {
      const flat = data.paths[state.lr][state.start_hours][state.start_name];
      const points = [];
      for (let i = 0; i < flat.length; i += 3) points.push(flat.slice(i, i + 3));
      const k = state.step;
      const shown = points.slice(0, k + 1);
      const d = line(shown.map(([h, n]) => [map.sx(h), map.sy(n)]));
      path.setAttribute("d", d);
      halo.setAttribute("d", d);
      start.setAttribute("x", map.sx(points[0][0]) - 4.5);
      start.setAttribute("y", map.sy(points[0][1]) - 4.5);
      const [h, n, value] = points[k];
      now.setAttribute("cx", map.sx(h));
      now.setAttribute("cy", map.sy(n));
      const curve = points.map(([, , l], i) => [loss.sx(i), loss.sy(Math.min(Math.max(l, 0.03), 30))]);
      all.setAttribute("d", line(curve));
      done.setAttribute("d", line(curve.slice(0, k + 1)));
      dot.setAttribute("cx", curve[k][0]);
      dot.setAttribute("cy", curve[k][1]);
      const rises = shown.filter((point, i) => i > 0 && point[2] > shown[i - 1][2]).length;
      const outside = shown.findIndex(([a, b]) => a < h0 || a > h1 || b < n0 || b > n1);
      readout.replaceChildren();
      make("html:p", { class: "explorable-result", "data-loss": String(value) }, readout,
        `Step ${k}: weight of hours ${fixed(h, 2)}, weight of name ${fixed(n, 2)}, loss ${fixed(value, 3)} `
        + `(${fixed(points[0][2], 3)} at the start; the trained model, at the star: ${fixed(data.trained[2], 3)}).`);
      const story = k === 0 ? "Nothing has moved yet."
        : rises === 0 ? "The loss fell at every step."
          : `The loss went up at ${rises} of the ${k} steps: the steps overshoot the valley.`;
      const away = outside >= 0 ? ` The path leaves the map at step ${outside}.` : "";
      const rate = root.querySelector("input[data-key=lr]").getAttribute("aria-valuetext").replace("learning rate ", "");
      return `Learning rate ${rate}, `
        + `starting from hours ${fixed(points[0][0], 1)}, name ${fixed(points[0][1], 1)}: after ${k} of 50 steps the `
        + `weights are hours ${fixed(h, 2)}, name ${fixed(n, 2)}, and the loss is ${fixed(value, 3)}. ${story}${away}`;
    };
  };

  // ---- 3. Capacity: hidden neurons and epochs -------------------------------------------------
  const capacity = (root, data, { figure, key, readout }) => {
    const [x0, x1, y0, y1] = data.box;
    const options = { width: 360, height: 280, x: [x0, x1], y: [y0, y1], xticks: [-1, 0, 1, 2],
      yticks: [-1, 0, 1], xlabel: "x\u2081", ylabel: "x\u2082" };
    const map = plot(figure, options);
    const image = make("image", {}, map.layer);
    const edge = make("path", { class: "explorable-boundary" }, map.layer);
    dots(map, make("g", {}, map.layer), data.train, "explorable-point", 2.6);
    const units = make("svg", { viewBox: "0 0 360 280", class: "explorable-plot explorable-units",
      "aria-hidden": "true", focusable: "false" }, figure);
    const epochs = data.epochs[data.epochs.length - 1];
    const loss = plot(figure, { width: 360, height: 280, x: [1, epochs], y: [0, 0.8], xticks: [1, 50, 100, 150],
      yticks: [0, 0.2, 0.4, 0.6, 0.8], xlabel: "epoch", ylabel: "loss" });
    const lossGroup = make("g", {}, loss.layer);
    legend(key, [["explorable-class0", "upper moon"], ["explorable-class1", "lower moon"],
      ["explorable-train-key", "training loss"], ["explorable-val-key", "validation loss"]]);
    const N = 61;
    return (state, subs) => {
      const activation = state.activation === 0 ? Math.tanh : (v) => Math.max(v, 0);
      const run = data.runs[state.activation === 0 ? "tanh" : "relu"][state.hidden];
      const [w1, b1, w2, b2] = run.snapshots[state.epoch];
      const hidden = (a, b) => b1.map((bias, j) => activation(w1[2 * j] * a + w1[2 * j + 1] * b + bias));
      const forward = (a, b) => sigmoid(hidden(a, b).reduce((sum, v, j) => sum + w2[j] * v, 0) + b2[0]);
      root.explorableForward = forward;
      const grid = [];
      const at = (i, n, a, b) => a + (i * (b - a)) / (n - 1);
      for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) grid.push(forward(at(i, N, x0, x1), at(j, N, y0, y1)));
      field(map, image, grid, N, N, classColour(root));
      edge.setAttribute("d", contour(map, grid, N, N, 0.5));
      // Each hidden neuron's response over the same square, and the weight the output gives it.
      units.replaceChildren();
      const cols = b1.length > 4 ? 4 : b1.length;
      const rows = Math.ceil(b1.length / cols);
      const tw = 360 / cols;
      const th = Math.min(260 / rows, tw * 0.85);
      units.setAttribute("viewBox", `0 0 360 ${Math.ceil(th * rows) + 22}`);
      make("text", { x: 180, y: 14, "text-anchor": "middle", class: "explorable-unit-label" }, units,
        "Hidden neurons (\u00d7 the output's weight for each)");
      const fg = rgb(root, "--explorable-unit");
      b1.forEach((_, j) => {
        const tile = plot(units, { ...options, width: tw, height: th, xticks: [], yticks: [], xlabel: "", ylabel: "",
          margin: { l: 3, r: 3, t: 3, b: 18 } });
        tile.root.setAttribute("x", (j % cols) * tw);
        tile.root.setAttribute("y", 20 + Math.floor(j / cols) * th);
        tile.root.setAttribute("width", tw);
        tile.root.setAttribute("height", th);
        const values = [];
        for (let b = 0; b < 21; b++) for (let a = 0; a < 21; a++) values.push(hidden(at(a, 21, x0, x1), at(b, 21, y0, y1))[j]);
        // tanh runs from -1 to 1, ReLU from 0 up: shade from the lowest to the highest response.
        const [lo, top] = state.activation === 0 ? [-1, 1] : [0, Math.max(...values, 1e-9)];
        field(tile, make("image", {}, tile.layer), values, 21, 21, (v) => [...fg, Math.round((235 * (v - lo)) / (top - lo))]);
        make("text", { x: tw / 2, y: th - 4, "text-anchor": "middle", class: "explorable-unit-label" }, tile.root,
          `${j + 1}: \u00d7 ${fixed(w2[j], 1)}`);
      });
      curves(loss, lossGroup, [{ values: run.loss, className: "explorable-train" },
        { values: run.val_loss, className: "explorable-val" }], data.epochs[state.epoch]);
      const e = data.epochs[state.epoch];
      const [l, vl, a, va] = [run.loss[e - 1], run.val_loss[e - 1], run.accuracy[e - 1], run.val_accuracy[e - 1]];
      readout.replaceChildren();
      make("html:p", { class: "explorable-result" }, readout, `Epoch ${e}: training loss ${fixed(l, 3)}, `
        + `validation loss ${fixed(vl, 3)}; ${percent(a)} of the training points and ${percent(va)} of the `
        + "validation points on the right side. The small maps show each hidden neuron's response over the same "
        + "square (the stronger the shade, the larger its output) and the weight the output neuron gives it.");
      const name = subs.activation === "ReLU" ? "ReLU" : "tanh";
      return `${b1.length} ${name} hidden neuron${b1.length > 1 ? "s" : ""} after ${e} epochs: training loss `
        + `${fixed(l, 3)}, validation loss ${fixed(vl, 3)}, accuracy ${percent(a)} on training and ${percent(va)} on `
        + `validation points. Each hidden neuron responds along one straight edge; the boundary bends only as `
        + "much as their sum allows.";
    };
  };

  // ---- 4. Regularisation ----------------------------------------------------------------------
  const regularisation = (root, data, { figure, key, readout }) => {
    const [x0, x1, y0, y1] = data.box;
    const map = plot(figure, { width: 360, height: 300, x: [x0, x1], y: [y0, y1], xticks: [-1, 0, 1, 2],
      yticks: [-1, 0, 1], xlabel: "x\u2081", ylabel: "x\u2082" });
    const image = make("image", {}, map.layer);
    const edge = make("path", { class: "explorable-boundary" }, map.layer);
    dots(map, make("g", {}, map.layer), data.val, "explorable-val-point", 1.6);
    dots(map, make("g", {}, map.layer), data.train, "explorable-point explorable-big", 4);
    const loss = plot(figure, { width: 360, height: 300, x: [1, 300], y: [0.002, 3], logy: true,
      xticks: [1, 100, 200, 300], yticks: [0.01, 0.1, 1], xlabel: "epoch", ylabel: "loss (log scale)" });
    const lossGroup = make("g", {}, loss.layer);
    const gap = make("g", { class: "explorable-gap" }, loss.root);
    legend(key, [["explorable-class0", "upper moon"], ["explorable-class1", "lower moon"],
      ["explorable-train-key", "training loss"], ["explorable-val-key", "validation loss"],
      ["explorable-ref-key", "without regularisation"]]);
    const levels = Array.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    const decode = (text) => Array.from(text, (c) => levels.indexOf(c) / 63);
    const n = data.size;
    return (state, subs) => {
      const method = state.method === 0 ? "l2" : "dropout";
      const strength = data[method][state.level];
      subs.weight_decay = method === "l2" ? strength : "0.0";
      subs.dropout = method === "dropout" ? strength : "0.0";
      const run = state.level === 0 ? data.none : data.runs[method][state.level - 1];
      const grid = decode(run.grid);
      field(map, image, grid, n, n, classColour(root));
      edge.setAttribute("d", contour(map, grid, n, n, 0.5));
      curves(loss, lossGroup, [{ values: data.none.loss, className: "explorable-ref" },
        { values: data.none.val_loss, className: "explorable-ref" },
        { values: run.loss, className: "explorable-train" }, { values: run.val_loss, className: "explorable-val" }], 300);
      const [l, vl] = [run.loss[299], run.val_loss[299]];
      gap.replaceChildren();
      make("path", { d: `M${loss.sx(300) - 6} ${loss.sy(l)}h-6V${loss.sy(vl)}h6` }, gap);
      make("text", { x: loss.sx(300) - 4, y: Math.min(loss.sy(l), loss.sy(vl)) - 8, "text-anchor": "end" }, gap,
        `gap ${fixed(vl - l, 2)}`);
      const short = state.level === 0 ? "none" : method === "l2" ? `\u03bb = ${strength}` : `p = ${strength}`;
      const what = state.level === 0 ? "No regularisation"
        : method === "l2" ? `L2 with \u03bb = ${strength}` : `Dropout with p = ${strength}`;
      root.querySelector("output[for$='-level']").textContent = short;
      root.querySelector("input[data-key=level]").setAttribute("aria-valuetext",
        state.level === 0 ? "no regularisation" : method === "l2" ? `lambda ${strength}` : `dropout rate ${strength}`);
      readout.replaceChildren();
      const table = make("html:table", { class: "explorable-table" }, readout);
      make("html:caption", {}, table, "Loss after 300 epochs, and accuracy on the validation points");
      [["", "training", "validation", "gap", "accuracy"],
        [short, fixed(l, 3), fixed(vl, 3), fixed(vl - l, 3), percent(run.val_accuracy)],
        ["none", fixed(data.none.loss[299], 3), fixed(data.none.val_loss[299], 3),
          fixed(data.none.val_loss[299] - data.none.loss[299], 3), percent(data.none.val_accuracy)]]
        .forEach((cells, r) => {
          const row = make("html:tr", {}, table);
          cells.forEach((cell, c) => make(r === 0 || c === 0 ? "html:th" : "html:td",
            { scope: r === 0 ? "col" : "row" }, row, cell));
        });
      return `${what}, after 300 epochs: training loss ${fixed(l, 3)}, validation loss ${fixed(vl, 3)}, a gap of `
        + `${fixed(vl - l, 3)} (without regularisation ${fixed(data.none.loss[299], 3)} and `
        + `${fixed(data.none.val_loss[299], 3)}). Validation accuracy ${percent(run.val_accuracy)}.`;
    };
  };

  // ---- Controls, snippet, description ---------------------------------------------------------
  const KINDS = { neuron, descent, capacity, regularisation };

  const read = (root) => {
    const state = {};
    const subs = {};
    for (const input of root.querySelectorAll("input[data-key]")) {
      const key = input.dataset.key;
      if (input.type === "radio") {
        if (input.checked) {
          state[key] = Number(input.value);
          Object.assign(subs, JSON.parse(input.dataset.subs));
        }
        continue;
      }
      const value = Number(input.value);
      state[key] = value;
      let text;
      if (input.dataset.labels) {
        text = JSON.parse(input.dataset.labels)[value];
        Object.assign(subs, JSON.parse(input.dataset.subs)[value]);
      } else {
        text = value.toFixed(Number(input.dataset.decimals));
        if (Number(text) === 0) text = (0).toFixed(Number(input.dataset.decimals));
        subs[key] = text;
      }
      input.setAttribute("aria-valuetext", input.dataset.valuetext.replace("{}", text));
      const output = root.querySelector(`output[for="${input.id}"]`);
      if (output) output.textContent = text;
    }
    return { state, subs };
  };

  const start = (root, data) => {
    const figure = root.querySelector(".explorable-figure");
    const readout = root.querySelector(".explorable-readout");
    const controls = root.querySelector(".explorable-controls");
    const key = root.querySelector(".explorable-key");
    const description = root.querySelector(".explorable-description");
    const code = root.querySelector(".explorable-code pre");
    figure.replaceChildren();
    key.replaceChildren();
    const render = KINDS[root.dataset.kind](root, data, { figure, key, readout, controls });
    let timer = null;
    const update = (now = false) => {
      const { state, subs } = read(root);
      const text = render(state, subs);
      code.textContent = data.template.replace(/<<(\w+)>>/g, (all, name) => subs[name] ?? all);
      root.dataset.state = JSON.stringify(state);
      clearTimeout(timer); // speak once the reader stops moving the control
      if (now === true) description.textContent = text;
      else timer = setTimeout(() => { description.textContent = text; }, 300);
    };
    root.addEventListener("input", update); // sliders and radio buttons both fire it
    root.explorableUpdate = update;
    update(true);
    root.classList.add("explorable-ready");
  };

  const load = (root) => {
    const src = root.dataset.src;
    loading[src] = loading[src] || new Promise((resolve, reject) => {
      const script = make("html:script", { src }, null);
      script.onload = () => (received[root.dataset.kind] ? resolve(received[root.dataset.kind]) : reject(new Error("no data")));
      script.onerror = () => reject(new Error(`could not load ${src}`));
      document.head.appendChild(script);
    });
    loading[src].then((data) => start(root, data)).catch((error) => {
      root.querySelector(".explorable-fallback").textContent = `The explorable could not be drawn (${error.message}); `
        + "the code below computes what it shows at the start.";
    });
  };

  const setUp = () => {
    const roots = document.querySelectorAll(".explorable[data-src]");
    for (const pre of document.querySelectorAll(".explorable-code pre")) {
      // Long lines scroll sideways: reachable by keyboard (as _static/scrollable.js does).
      Object.entries({ tabindex: "0", role: "region", "aria-label": "Code for the state shown" })
        .forEach(([name, value]) => pre.setAttribute(name, value));
    }
    if (!("IntersectionObserver" in window)) {
      roots.forEach(load);
      return;
    }
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          load(entry.target);
        }
      }
    }, { rootMargin: "400px 0px" });
    roots.forEach((root) => observer.observe(root));
    // Colours follow furo's theme switch and the system's light or dark preference.
    const redraw = () => document.querySelectorAll(".explorable-ready").forEach((root) => root.explorableUpdate(true));
    new MutationObserver(redraw).observe(document.body, { attributes: true, attributeFilter: ["data-theme"] });
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", redraw);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
