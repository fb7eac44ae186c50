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
  function number(value, group = writing.group) {
    const [whole, fraction] = String(Number(value.toFixed(3))).split(".");
    const grouped = whole.length >= writing.groupFrom ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, group) : whole;
    return grouped + (fraction ? writing.decimal + fraction : "");
  }
  const inLargest = (cells) => number(cells / units[units.length - 1].factor);
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (all, name) => values[name] ?? all);
  const message = (key, values = {}) => fill(data.messages[key], values);
  const between = (low, high) => fill(data.words.range, { low, high });
  const rangeFor = (ranges, cells) => ranges.find((r) => cells >= r.from && (r.to === null || cells <= r.to));
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
    return unit && { value, cells: Math.round(value * unit.factor), unit, inferred,
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

  /* The neutrophil count printed on the report, or worked out from the percentages; null if neither. */
  function readNeutrophils(input, count, errors) {
    const neutrophils = readPercent(input.neutrophils, "neutrophils", errors);
    const bands = readPercent(input.bands, "bands", errors);
    if (bands !== null && !input.neutrophils.trim()) fail(errors, "neutrophils", "bands_without_neutrophils");
    const percent = Math.round(((neutrophils || 0) + (bands || 0)) * 100) / 100;
    if (percent > 100) fail(errors, "neutrophils", "percent_sum_too_high", { sum: number(percent) });
    if (input.anc.trim()) {
      const sense = (cells) => cells === 0 || (believable(cells) && (!count || cells <= count.cells));
      const anc = readQuantity(input.anc, input.ancUnit, "anc", errors,
        { zeroAllowed: true, fallback: count && count.unit.id, sense });
      if (!anc || !count) return null;
      const values = { anc: number(anc.cells), count: number(count.cells) };
      if (anc.cells > 0 && anc.cells < data.lowestCount) return fail(errors, "anc", "anc_too_low", values);
      if (anc.cells > count.cells) return fail(errors, "anc", "anc_above_count", values);
      return { cells: anc.cells, given: true, typed: asTyped(anc), quantity: anc };
    }
    if (neutrophils === null || !count || percent > 100) return null;
    return { cells: Math.round((count.cells * percent) / 100), given: false, percent };
  }

  /* Everything the checker concludes from the form's text, as plain data: the tests call this directly. */
  function check(input) {
    const errors = [];
    const count = readCount(input, errors);
    const range = readRange(input, count, errors);
    const neutrophils = readNeutrophils(input, count, errors);
    if (input.age !== "adult" && input.age !== "child") fail(errors, "age", "age_missing");
    if (errors.length) return { errors };
    const adult = input.age === "adult";
    let verdict = null;
    let category = null;
    if (range) {
      category = count.cells < range.low ? "low" : count.cells > range.high ? "high" : "within";
      verdict = data.labRangeVerdicts[category];
      category = `lab-${category}`;
    } else if (adult) {
      verdict = rangeFor(data.countRanges, count.cells);
      category = verdict.id;
    }
    const ancRange = neutrophils && adult ? rangeFor(data.ancRanges, neutrophils.cells) : null;
    const basis = neutrophils && adult ? ancRange : verdict;
    return { errors, count, range, category, verdict, neutrophils, ancRange,
      grade: ancRange ? ancRange.id : null, duffy: Boolean(basis && basis.duffyNote) };
  }

  /* --- the page ------------------------------------------------------------------------------------------ */

  /* The result as [class, text] lines; a class starting with "!" is shown in bold. The appointment summary
     shows the same lines, with what was typed apart from what it means. */
  const said = (cells, write) => (cells.length > 1 ? between(write(cells[0]), write(cells[1])) : write(cells[0]));
  const readAs = (typed, ...cells) => ["", message("read_as", { typed, count: said(cells, number),
    thousands: said(cells, inLargest) })];
  /* A number that could be read two ways says which reading was kept, written so that it cannot be misread. */
  const oneWay = (read) => (read && read.twoWays ? [["", message("read_one_way",
    { typed: read.twoWays, reading: `${number(read.value, "")} ${read.unit.name}` })]] : []);
  const typedLines = ({ count }) => [readAs(asTyped(count), count.cells),
    ...(count.inferred ? [["", message("unit_inferred")]] : []), ...oneWay(count)];
  const rangeNotes = ({ range }) => (range ? range.ends.flatMap(oneWay) : []);
  const rangeLines = (result) => (result.range
    ? [readAs(result.range.typed, result.range.low, result.range.high), ...rangeNotes(result)] : []);

  const ancLines = ({ count, neutrophils: n }) => (n ? [["", message(n.given ? "anc_given" : "anc_worked_out", {
    anc: number(n.cells), thousands: inLargest(n.cells), count: number(count.cells), percent: number(n.percent || 0),
  })], ...oneWay(n.quantity)] : []);

  function countMeaning({ range, verdict, category }) {
    if (!verdict) return [["", message("child_no_verdict")]];
    const compared = range ? message("compared_with_lab", { range: between(number(range.low), number(range.high)) })
      : message("compared_with_typical", { range: data.typicalRange, source: data.typicalRangeSource });
    return [[`!verdict verdict-${category}`, verdict.title], ["", verdict.message], ["", compared]];
  }

  /* The summary leaves out the general note on grades (`extra`): it has one page for what is personal. */
  function ancMeaning({ neutrophils, ancRange, duffy }, extra = []) {
    const lines = !neutrophils ? [] : ancRange
      ? [[`!verdict anc-${ancRange.id}`, ancRange.title], ["", ancRange.message], ...extra]
      : [["", message("anc_child")]];
    return duffy ? [...lines, ["note", message("duffy_note")]] : lines;
  }

  const resultLines = (result) => [...typedLines(result), ...rangeNotes(result), ...countMeaning(result),
    ...ancLines(result),
    ...ancMeaning(result, [["", message("anc_grades")]]),
    ["!urgent", message("urgent_reminder")], ["disclaimer", message("not_a_diagnosis")]];

  function paragraph([classes, text]) {
    const node = document.createElement("p");
    const bold = classes.startsWith("!");
    (bold ? node.appendChild(document.createElement("strong")) : node).textContent = text;
    classes.replace("!", "").split(" ").filter(Boolean).forEach((name) => node.classList.add(`checker-${name}`));
    return node;
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
  const percentTyped = (text, typed = text.trim()) =>
    (typed ? [["", /%$/.test(typed) ? typed : `${typed} %`]] : []);

  function showSheet(visible) {
    sheet.hidden = !visible;
    document.body.classList.toggle("checker-sheet-shown", visible);
  }

  function fillSheet(result, input) {
    const { neutrophils: n } = result;
    const rows = {
      count: typedLines(result),
      neutrophils: percentTyped(input.neutrophils),
      bands: percentTyped(input.bands),
      anc: n && n.given ? [readAs(n.typed, n.cells), ...oneWay(n.quantity)] : ancLines(result),
      lab_range: rangeLines(result),
      age: [["", document.querySelector(`label[for="checker-age-${input.age}"]`).textContent.trim()]],
    };
    Object.entries(rows).forEach(([name, lines]) => {
      const row = document.getElementById(`appointment-${name}`);
      row.querySelector("dd").replaceChildren(...lines.map(paragraph));
      row.hidden = !lines.length;
    });
    const meaning = [...countMeaning(result), ...ancMeaning(result)];
    document.getElementById("appointment-meaning").replaceChildren(...meaning.map(paragraph));
    document.getElementById("appointment-range-source").hidden = !result.verdict || Boolean(result.range);
    const date = new Date().toLocaleDateString(document.documentElement.lang, { dateStyle: "long" });
    document.getElementById("appointment-made-on").textContent = message("sheet_made_on", { date });
    showSheet(true);
  }

  /* Errors go next to their fields, and are listed with links to them. */
  function show(form, output) {
    const input = readForm(form);
    const result = check(input);
    showErrors(form, result.errors);
    const heading = document.createElement("h2");
    heading.textContent = data.headings[result.errors.length ? "problem" : "result"];
    output.replaceChildren(heading);
    if (!result.errors.length) {
      output.append(...resultLines(result).map(paragraph));
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
