/* The count checker. Every threshold, unit and message comes from content/leucopenia/checker.yaml, and how the
   page's language writes numbers from Babel (via #checker-data); the YAML's comments state the rules. Nothing
   typed leaves the page. */
(() => {
  "use strict";

  const data = JSON.parse(document.getElementById("checker-data").textContent);
  const units = data.units.slice().sort((a, b) => a.factor - b.factor);
  const SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

  /* How a unit is compared: "x10^9/L", "×10⁹/L", "10*9/l" and "x10e9/L" all become "109/l". */
  const spelling = (text) => text.toLowerCase().replace(/\s+/g, "").replace(/×/g, "x").replace(/[µμ]/g, "u")
    .replace(/[⁰-⁹¹²³]/g, (c) => SUPERSCRIPTS.indexOf(c)).replace(/[\^*]|e(?=\d)|^x|cells/g, "")
    .replace(/per/g, "/").replace(/^\//, "");
  const unitById = (id) => units.find((u) => u.id === id) || null;
  const unitBySpelling = (text) => units.find((u) => u.spellings.some((s) => spelling(s) === spelling(text))) || null;

  /* The ways readers write numbers, each a decimal and a group mark: the page's own first (English: "3,600.5"),
     then the others checker.yaml lists. A way reads "3,600" as 3600, or not at all (null). */
  const mark = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

  function readIn(digits, { decimal, group }) {
    const [d, g] = [mark(decimal), mark(group)];
    if (!new RegExp(`^([1-9]\\d{0,2}(${g}\\d{3})+|\\d*)(${d}\\d+)?$`).test(digits)) return null;
    return parseFloat(digits.split(group).join("").replace(decimal, "."));
  }

  /* "3,600" "3 600" → [3600]; "0,500" → [0.5]: a mark that cannot group thousands is a decimal mark. Each way
     of writing gives its reading: "3.600" on the Spanish page → [3600, 3.6].
     → {values, typed: the number as typed, rest: what follows it} or {error}. */
  function readNumber(text) {
    text = String(text || "").trim();
    if (!text) return { error: "empty" };
    if (/^[-−–]\s*[\d.,]/.test(text)) return { error: "negative" };
    const match = /^(\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,])|[\d.,]*\d)\s*(.*)$/.exec(text);
    if (!match) return { error: "not_a_number" };
    const digits = match[1].replace(/[ \u00a0\u202f]/g, "");
    let values = [...new Set(data.numbers.map((way) => readIn(digits, way)).filter((v) => v !== null))];
    if (!values.length && /^\d*[.,]\d+$/.test(digits)) values = [parseFloat(digits.replace(",", "."))];
    return values.length ? { values, typed: match[1], rest: match[2] } : { error: "not_a_number" };
  }

  /* A number as the page writes it, as the tables' numbers are (checker.py's `written`): "3,600" in English,
     "3600" and "11 000" in Spanish; `group` "" leaves thousands ungrouped. */
  const writing = data.writeNumbers;
  function number(value, group = writing.group, decimals = 3) {
    const [whole, fraction] = String(Number(value.toFixed(decimals))).split(".");
    const grouped = whole.length >= writing.groupFrom ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, group) : whole;
    return grouped + (fraction ? writing.decimal + fraction : "");
  }
  const largest = units[units.length - 1].factor;
  /* Counts are compared exactly; this only drops the binary noise of a product (3.03 × 1000). */
  const exact = (value) => Math.round(value * 1e6) / 1e6;
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (all, name) => values[name] ?? all);
  const message = (key, values = {}) => fill(data.messages[key], values);
  const between = (low, high) => fill(data.words.range, { low, high });
  /* The range a count belongs to: the last one whose start it reaches, so 1,499.85 is below 1,500. */
  const rangeFor = (ranges, cells) => ranges.filter((r) => cells >= r.from).pop();
  /* A number as shown: `decimals` at most, or more when fewer would put it in another class (`kind`) than
     its own, so that no figure shown lands on the other side of a limit from its verdict. */
  function withoutCrossing(value, kind, decimals, group = writing.group) {
    let places = decimals;
    while (places < 9 && kind(Number(value.toFixed(places))) !== kind(value)) places += 1;
    return number(value, group, places);
  }
  const believable = (cells) => cells >= data.lowestCount && cells <= data.highestCount;
  const asTyped = (quantity) => [quantity.text, quantity.unitText].filter(Boolean).join(" ");

  function fail(errors, field, code, values) {
    if (!errors.some((e) => e.field === field)) errors.push({ field, code, message: message(code, values) });
    return null;
  }

  /* Of a number's readings, the one that makes `sense` for its field; when several do, the reader is asked
     (an error for `field`); when none does, the page's own, which the field's checks refuse. `twoWays`: the
     reader is told that another reading was possible. */
  function pick(read, sense, field, errors) {
    const kept = read.values.filter(sense);
    if (kept.length > 1) {
      const [larger, smaller] = kept.sort((a, b) => b - a).map((value) => number(value, ""));
      return fail(errors, field, "number_ambiguous", { typed: read.typed, larger, smaller });
    }
    return { value: kept.length ? kept[0] : read.values[0], twoWays: kept.length === 1 && read.values.length > 1 };
  }

  /* A number and its unit → {value, cells, unit, inferred, twoWays, text, unitText}, or null after adding an
     error for `field`. A typed unit must agree with the chosen one and wins over `fallback` (the count's unit).
     `sense(cells)`: what the field can hold. `text` is what the reader typed; `unitText` the unit to show
     after it, if it holds none and one was chosen; `twoWays` the number as typed, if it had another reading. */
  function readQuantity(text, chosenId, field, errors, { fallback, infer, zeroAllowed, sense = believable } = {}) {
    const read = readNumber(text);
    if (read.error) return fail(errors, field, read.error === "empty" ? "count_empty" : read.error);
    const typed = read.rest ? unitBySpelling(read.rest) : null;
    if (read.rest && !typed) return fail(errors, field, "unknown_unit", { text: read.rest });
    const chosen = unitById(chosenId);
    if (typed && chosen && typed !== chosen) {
      return fail(errors, field, "unit_conflict", { typed: typed.name, chosen: chosen.name });
    }
    let unit = typed || chosen || unitById(fallback);
    if (!unit && !infer) return null;  // read again once the count has a unit
    const possible = unit ? [unit] : units;
    const reading = pick(read, (value) => possible.some((u) => sense(value * u.factor)), field, errors);
    if (!reading) return null;
    const value = reading.value;
    if (value === 0 && !zeroAllowed) return fail(errors, field, "zero");
    unit = unit || (value === 0 ? units[0] : null);
    const inferred = !unit;
    if (inferred) unit = inferUnit(value, errors);
    return unit && { value, cells: exact(value * unit.factor), unit, inferred,
      twoWays: reading.twoWays && read.typed, text: text.trim().replace(/\s+/g, " "),
      unitText: read.rest || inferred ? "" : unit.name };
  }

  /* With no unit, a number is read in the smallest unit only if no other unit gives a believable count. */
  function inferUnit(value, errors) {
    const possible = units.filter((u) => believable(value * u.factor));
    if (possible.length === 1 && possible[0] === units[0]) return units[0];
    if (!possible.length && value > data.highestCount) {
      return fail(errors, "count", "count_too_high", { count: number(Math.round(value)) });
    }
    if (possible.length !== 1) return fail(errors, "unit", "unit_missing", { value: number(value) });
    const likely = `${possible[0].name} (${number(Math.round(value * possible[0].factor))} ${units[0].name})`;
    return fail(errors, "unit", "unit_missing_likely", { value: number(value), likely });
  }

  function readCount(input, errors) {
    const count = readQuantity(input.count, input.unit, "count", errors, { infer: true });
    if (count && !believable(count.cells)) {
      const code = count.cells > data.highestCount ? "count_too_high" : "count_too_low";
      return fail(errors, "count", code, { count: number(count.cells) });
    }
    return count;
  }

  function readRange(input, count, errors) {
    if (!input.rangeLow.trim() && !input.rangeHigh.trim()) return null;
    const sense = (cells) => cells >= data.lowestRangeEnd && cells <= data.highestRangeEnd;
    const [low, high] = [["range-low", input.rangeLow], ["range-high", input.rangeHigh]].map(([field, text]) => {
      if (!text.trim()) return fail(errors, field, "range_incomplete");
      const end = readQuantity(text, "", field, errors, { fallback: count && count.unit.id, sense });
      if (end && !sense(end.cells)) {
        return fail(errors, field, "range_implausible", { count: number(end.cells), unit: end.unit.name });
      }
      return end;
    });
    if (!low || !high) return null;
    if (low.cells >= high.cells) return fail(errors, "range-low", "range_reversed");
    const typed = between(low.unitText && high.unitText ? low.text : asTyped(low), asTyped(high));
    return { low: low.cells, high: high.cells, typed, ends: [low, high] };
  }

  function readPercent(text, field, errors) {
    if (!text.trim()) return null;
    const read = readNumber(text);
    if (read.error || (read.rest && read.rest !== "%")) return fail(errors, field, read.error || "not_a_number");
    const reading = pick(read, (value) => value <= 100, field, errors);
    if (!reading) return null;
    return reading.value > 100 ? fail(errors, field, "percent_too_high") : reading.value;
  }

  /* Half a step of the last digit typed, in cells: 3.6 ×10⁹/L is 3,550 to 3,650, 49.5 % is 49.45 to 49.55. */
  const halfStep = (value, factor = 1) => {
    const places = (String(value).split(".")[1] || "").length;
    return factor / 2 / 10 ** places;
  };

  /* Whether a neutrophil count typed from the report and one worked out from the percentages agree, given
     the rounding of each number typed. */
  function agree(count, percents, anc) {
    const percent = percents.reduce((sum, p) => sum + p, 0);
    const spread = percents.reduce((sum, p) => sum + halfStep(p), 0);
    const cells = halfStep(count.value, count.unit.factor);
    const low = ((count.cells - cells) * (percent - spread)) / 100;
    const high = ((count.cells + cells) * (percent + spread)) / 100;
    const own = halfStep(anc.value, anc.unit.factor);
    return anc.cells + own >= low && anc.cells - own <= high;
  }

  const percentSaid = (value) => message("percent", { value: number(value) });

  /* The neutrophil count printed on the report, or worked out from the percentages; null if neither. When
     both are given and disagree by more than rounding, the lower one is used: the safer choice. */
  function readNeutrophils(input, count, errors) {
    const neutrophils = readPercent(input.neutrophils, "neutrophils", errors);
    const bands = readPercent(input.bands, "bands", errors);
    if (bands !== null && !input.neutrophils.trim()) fail(errors, "neutrophils", "bands_without_neutrophils");
    const percent = Math.round(((neutrophils || 0) + (bands || 0)) * 100) / 100;
    if (percent > 100) fail(errors, "neutrophils", "percent_sum_too_high", { sum: percentSaid(percent) });
    const worked = neutrophils === null || !count || percent > 100 ? null : exact((count.cells * percent) / 100);
    if (!input.anc.trim()) return worked === null ? null : { cells: worked, worked, percent };
    const sense = (cells) => cells === 0 || (believable(cells) && (!count || cells <= count.cells));
    const anc = readQuantity(input.anc, input.ancUnit, "anc", errors,
      { zeroAllowed: true, fallback: count && count.unit.id, sense });
    if (!anc || !count) return null;
    const values = { anc: number(anc.cells), count: number(count.cells) };
    if (anc.cells > 0 && anc.cells < data.lowestCount) return fail(errors, "anc", "anc_too_low", values);
    if (anc.cells > count.cells) return fail(errors, "anc", "anc_above_count", values);
    const given = { cells: anc.cells, given: anc.cells, typed: asTyped(anc), quantity: anc };
    const percents = [neutrophils, bands].filter((p) => p !== null);
    if (worked === null || agree(count, percents, anc)) return given;
    return { ...given, cells: Math.min(worked, anc.cells), worked, percent, disagree: true };
  }

  /* Everything the checker concludes from the form's text, as plain data: the tests call this directly. A
     range applies to a child only when checker.yaml marks it `any_age`; a `same_day` count range wins over
     the lab's range. */
  function check(input) {
    const errors = [];
    const count = readCount(input, errors);
    const range = readRange(input, count, errors);
    const neutrophils = readNeutrophils(input, count, errors);
    if (input.age !== "adult" && input.age !== "child") fail(errors, "age", "age_missing");
    if (errors.length) return { errors };
    const adult = input.age === "adult";
    const applies = (found) => Boolean(found && (adult || found.anyAge));
    const bySources = rangeFor(data.countRanges, count.cells);
    let verdict = null;
    let category = null;
    if (applies(bySources) && (bySources.sameDay || !range)) {
      [verdict, category] = [bySources, bySources.id];
    } else if (range) {
      const place = count.cells < range.low ? "low" : count.cells > range.high ? "high" : "within";
      [verdict, category] = [data.labRangeVerdicts[place], `lab-${place}`];
    }
    const found = neutrophils ? rangeFor(data.ancRanges, neutrophils.cells) : null;
    const ancRange = applies(found) ? found : null;
    const sameDay = Boolean((verdict && verdict.sameDay) || (ancRange && ancRange.sameDay));
    const duffy = Boolean(adult && ancRange && ancRange.duffyNote && !bySources.sameDay);
    return { errors, count, range, category, verdict, neutrophils, ancRange, grade: ancRange ? ancRange.id : null,
      duffy, sameDay, adult };
  }

  /* --- the page ------------------------------------------------------------------------------------------ */

  /* The class a count or a neutrophil count falls in, for showing it without crossing a limit. */
  const countClass = (range) => (cells) => [rangeFor(data.countRanges, cells).id,
    range ? Math.sign(cells - range.low) + Math.sign(cells - range.high) : ""].join();
  const ancClass = (cells) => rangeFor(data.ancRanges, cells).id;
  const perMicrolitre = (cells, kind) => withoutCrossing(cells, kind, 2);
  const inLargest = (cells, kind) => withoutCrossing(cells / largest, (v) => kind(exact(v * largest)), 3);
  const anyClass = () => "";

  /* The result as [class, text] lines; a class starting with "!" is shown in bold. The appointment summary
     shows the same lines, with what was typed apart from what it means. */
  const said = (cells, write) => (cells.length > 1 ? between(write(cells[0]), write(cells[1])) : write(cells[0]));
  const readAs = (typed, kind, ...cells) => ["", message("read_as", { typed,
    count: said(cells, (c) => perMicrolitre(c, kind)), thousands: said(cells, (c) => inLargest(c, kind)) })];
  /* A number that could be read two ways says which reading was kept, written so that it cannot be misread. */
  const oneWay = (read) => (read && read.twoWays ? [["", message("read_one_way",
    { typed: read.twoWays, reading: `${number(read.value, "")} ${read.unit.name}` })]] : []);
  const typedLines = ({ count, range }) => [readAs(asTyped(count), countClass(range), count.cells),
    ...(count.inferred ? [["", message("unit_inferred")]] : []), ...oneWay(count)];
  const rangeNotes = ({ range }) => (range ? range.ends.flatMap(oneWay) : []);
  const rangeLines = (result) => (result.range
    ? [readAs(result.range.typed, anyClass, result.range.low, result.range.high), ...rangeNotes(result)] : []);

  function ancLines({ count, neutrophils: n }) {
    if (!n) return [];
    const given = n.given === undefined ? [] : [["", message("anc_given", {
      anc: perMicrolitre(n.given, ancClass), thousands: inLargest(n.given, ancClass) })], ...oneWay(n.quantity)];
    const worked = n.worked === undefined || (n.given !== undefined && !n.disagree) ? [] : [["", message(
      "anc_worked_out", { anc: perMicrolitre(n.worked, ancClass), thousands: inLargest(n.worked, ancClass),
        count: number(count.cells), percent: percentSaid(n.percent) })]];
    return [...given, ...worked];
  }

  /* A result that calls for action (a neutropenia grade, or anything to do today) says what it means in its
     lead, not further down. */
  const acts = ({ ancRange, sameDay }) => Boolean(sameDay || (ancRange && ancRange.leads));
  const ancLeads = ({ ancRange }) => Boolean(ancRange && ancRange.leads);

  /* What leads: the verdicts (a neutropenia grade before the total), what to do today, the emergency rule. */
  function leadLines(result, emergency = true) {
    const { verdict, category, ancRange, sameDay } = result;
    const countTitle = verdict && [`!verdict verdict-${category}`,
      ancRange ? message("count_verdict", { title: verdict.title }) : verdict.title];
    const ancTitle = ancRange && [`!verdict anc-${ancRange.id}`, ancRange.title];
    const titles = (ancLeads(result) ? [ancTitle, countTitle] : [countTitle, ancTitle]).filter(Boolean);
    if (titles.length > 1) titles[1] = [titles[1][0].replace("!verdict", "!verdict verdict-also"), titles[1][1]];
    const first = ancLeads(result) ? ancRange : verdict;
    return [...titles, ...(sameDay ? [["!action", message("same_day_action")]] : []),
      ...(emergency ? [["urgent", message("urgent_rule")]] : []),
      ...(acts(result) && first ? [["", first.message]] : [])];
  }

  /* What each verdict means for the reader, in the order of the titles (less the one the lead said), and the
     notes that go with them. */
  function meaningLines(result) {
    const { verdict, neutrophils: n, ancRange } = result;
    const count = [["", verdict ? verdict.message : message("child_no_verdict")]];
    const anc = !n ? [["", message("neutrophils_unknown")]] : [["", ancRange ? ancRange.message : message("anc_child")]];
    const disagree = n && n.disagree ? [["!note", message("anc_disagrees", { anc: number(n.given),
      worked: number(n.worked), used: number(n.cells) })]] : [];
    const duffy = result.duffy ? [["note", message("duffy_note")]] : [];
    const ordered = ancLeads(result) ? [...anc, ...count] : [...count, ...anc];
    return [...disagree, ...ordered.slice(acts(result) && (ancLeads(result) || verdict) ? 1 : 0), ...duffy];
  }

  /* Where the verdicts come from: folded away below the rest on the page, and on the summary without the
     general note on grades (it has one page for what is personal). */
  const comparedLines = ({ range, verdict, category }) => (!verdict ? [] : category.startsWith("lab-")
    ? [["", message("compared_with_lab", { range: between(number(range.low), number(range.high)) })]]
    : [["", message("compared_with_typical", { range: data.typicalRange, source: data.typicalRangeSource })]]);
  const detailLines = (result) => [...comparedLines(result),
    ...(result.neutrophils ? [["", message("anc_grades")]] : [])];

  const numberLines = (result) => [...typedLines(result), ...rangeLines(result), ...ancLines(result)];

  /* A copy of one of the page's scales (drawn by the build from checker.yaml) with the reader's count marked
     in band `index`; a band's place is from its data-from to its data-to (twice its start if it has none).
     `ends`: for the lab's range, its two ends, written into the copy. It is shown with `caption` above it. */
  function markedScale(source, index, cells, label, caption, ends = null) {
    const svg = source.cloneNode(true);
    svg.removeAttribute("id");
    const bands = [...svg.querySelectorAll("rect")];
    if (ends) {
      const starts = [0, ...ends];
      bands.forEach((band, i) => Object.assign(band.dataset, { from: starts[i], to: starts[i + 1] ?? "" }));
      svg.querySelectorAll("text").forEach((text, i) => { text.textContent = number(ends[i]); });
    }
    const band = bands[index];
    const from = Number(band.dataset.from);
    const to = band.dataset.to ? Number(band.dataset.to) : from * 2;
    const share = Math.min(Math.max((cells - from) / (to - from || 1), 0), 1);
    const x = Number(band.getAttribute("x")) + Number(band.getAttribute("width")) * share;
    svg.querySelector(".scale-marker").setAttribute("transform", `translate(${x} 0)`);
    svg.classList.add("checker-scale-marked");
    svg.setAttribute("aria-label", label);
    const figure = document.createElement("figure");
    figure.className = "checker-figure";
    figure.append(Object.assign(document.createElement("figcaption"), { textContent: caption }), svg);
    return figure;
  }

  /* Where the count, and the neutrophil count when known, fall: on the sources' scales, or for the count on
     the lab's range when it was typed. None for a child, whose limits change with age, but the lab's. */
  function scales(result, adult) {
    const { count, range, neutrophils: n, category, verdict, ancRange } = result;
    const marked = (source, index, cells, kind, band, ends) => markedScale(source, index, cells, message(
      "scale_marked", { scale: source.getAttribute("aria-label"), value: `${perMicrolitre(cells, kind)} ${units[0].name}`,
        band }), data.headings[ends ? "lab_range" : source.id === "scale-anc" ? "anc" : "count"], ends);
    const drawn = [];
    if (range && category.startsWith("lab-")) {
      const index = ["lab-low", "lab-within", "lab-high"].indexOf(category);
      drawn.push(marked(document.getElementById("scale-lab").content.firstElementChild, index, count.cells,
        countClass(range), verdict.title, [range.low, range.high]));
    } else if (adult || (verdict && verdict.anyAge)) {
      const found = rangeFor(data.countRanges, count.cells);
      drawn.push(marked(document.getElementById("scale-count"), data.countRanges.indexOf(found), count.cells,
        countClass(null), found.title));
    }
    if (n && adult) {
      drawn.push(marked(document.getElementById("scale-anc"), data.ancRanges.indexOf(ancRange), n.cells, ancClass,
        ancRange.title));
    }
    return drawn;
  }

  function paragraph([classes, text]) {
    const node = document.createElement("p");
    const bold = classes.startsWith("!");
    (bold ? node.appendChild(document.createElement("strong")) : node).textContent = text;
    classes.replace("!", "").split(" ").filter(Boolean).forEach((name) => node.classList.add(`checker-${name}`));
    return node;
  }

  function block(tag, className, lines) {
    const node = document.createElement(tag);
    node.className = className;
    node.append(...lines.map(paragraph));
    return node;
  }

  function folded(summary, lines) {
    const details = block("details", "checker-details", lines);
    details.prepend(Object.assign(document.createElement("summary"), { textContent: summary }));
    return details;
  }

  const FIELDS = ["count", "unit", "neutrophils", "bands", "anc", "ancUnit", "rangeLow", "rangeHigh", "age"];
  const readForm = (form, values = new FormData(form)) =>
    Object.fromEntries(FIELDS.map((name) => [name, String(values.get(name) ?? "")]));

  function showErrors(form, errors) {
    form.querySelectorAll(".checker-error").forEach((node) => {
      const error = errors.find((e) => node.id === `checker-${e.field}-error`);
      node.textContent = error ? error.message : "";
      node.hidden = !error;
      const field = node.closest(".checker-field");
      field.classList.toggle("checker-field-invalid", Boolean(error));
      field.querySelectorAll("input").forEach((input) => {
        if (error) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      });
    });
  }

  /* The appointment summary: the last result, as typed and as read. It lives in the page only: nothing is
     stored, sent or put in the address. While it is shown, printing prints it alone (style.css). */
  const sheet = document.getElementById("appointment");
  const percentTyped = (text) => {
    const typed = text.trim().replace(/\s*%$/, "");
    return typed ? [["", message("percent", { value: typed })]] : [];
  };

  function showSheet(visible) {
    sheet.hidden = !visible;
    document.body.classList.toggle("checker-sheet-shown", visible);
  }

  /* A question that asks for a number the reader typed is left out (`data-unless` names the number). */
  function adaptQuestions(input, result) {
    const typed = { neutrophils: Boolean(input.neutrophils.trim() || input.anc.trim()), lab_range: Boolean(result.range) };
    sheet.querySelectorAll(".appointment-questions li").forEach((item) => {
      item.hidden = Boolean(typed[item.dataset.unless]);
    });
  }

  function fillSheet(result, input) {
    const { neutrophils: n } = result;
    const rows = {
      count: typedLines(result),
      neutrophils: percentTyped(input.neutrophils),
      bands: percentTyped(input.bands),
      anc: n && n.given !== undefined && !n.disagree
        ? [readAs(n.typed, ancClass, n.given), ...oneWay(n.quantity)] : ancLines(result),
      lab_range: rangeLines(result),
      age: [["", document.querySelector(`label[for="checker-age-${input.age}"]`).textContent.trim()]],
    };
    Object.entries(rows).forEach(([name, lines]) => {
      const row = document.getElementById(`appointment-${name}`);
      row.querySelector("dd").replaceChildren(...lines.map(paragraph));
      row.hidden = !lines.length;
    });
    const meaning = [...leadLines(result, false), ...meaningLines(result), ...comparedLines(result)];
    document.getElementById("appointment-meaning").replaceChildren(...meaning.map(paragraph));
    document.getElementById("appointment-scales").replaceChildren(...scales(result, result.adult));
    document.getElementById("appointment-range-source").hidden = !result.verdict || Boolean(result.range);
    adaptQuestions(input, result);
    const date = new Date().toLocaleDateString(document.documentElement.lang, { dateStyle: "long" });
    document.getElementById("appointment-made-on").textContent = message("sheet_made_on", { date });
    showSheet(true);
  }

  /* A result leads with what matters (the verdict, what to do now, the emergency rule), then the numbers as
     read, what they mean, and where the verdict comes from, folded. Focus moves to its heading, at the top
     of the screen, so that a reader on a phone sees the verdict first. */
  function showResult(output, heading, result) {
    const severity = result.sameDay ? "urgent" : result.ancRange && result.ancRange.leads ? "serious" : "plain";
    output.append(block("div", `checker-lead checker-lead-${severity}`, leadLines(result)),
      ...numberLines(result).map(paragraph), ...scales(result, result.adult), ...meaningLines(result).map(paragraph),
      folded(data.headings.details, detailLines(result)), paragraph(["disclaimer", message("not_a_diagnosis")]));
    heading.tabIndex = -1;
    heading.scrollIntoView({ block: "start" });
    heading.focus({ preventScroll: true });
  }

  /* Errors go next to their fields, and are listed with links to them. */
  function show(form, output) {
    const input = readForm(form);
    const result = check(input);
    showErrors(form, result.errors);
    const heading = document.createElement("h2");
    heading.id = "checker-result-heading";
    heading.textContent = data.headings[result.errors.length ? "problem" : "result"];
    output.replaceChildren(heading);
    if (!result.errors.length) {
      showResult(output, heading, result);
      fillSheet(result, input);
      return;
    }
    showSheet(false);
    const list = output.appendChild(document.createElement("ul"));
    result.errors.forEach((error) => {
      const link = list.appendChild(document.createElement("li")).appendChild(document.createElement("a"));
      link.href = `#checker-${error.field}-error`;
      link.textContent = error.message;
    });
    form.querySelector(".checker-field-invalid input")?.focus();
  }

  const form = document.getElementById("checker-form");
  const output = document.getElementById("checker-result");
  if (form && output && sheet) {
    form.hidden = false;
    document.getElementById("appointment-print").addEventListener("click", () => window.print());
    document.querySelectorAll(".checker-no-script").forEach((node) => { node.hidden = true; });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      show(form, output);
    });
  }

  window.WbcChecker = { check, readNumber, unitBySpelling, number, data };
})();
