// A coding interview's panel in the room: the problem, the step under way with its timers, and
// the editor (CodeMirror 6, vendored) where the candidate writes, runs and submits the function.
// Code runs in a Worker of this browser (coderun.js); the server checks the results against the
// hidden tests' expected outputs, which never reach the page.

import { Compartment, EditorState, EditorView, basicSetup, indentWithTab, javascript, keymap, python } from "../vendor/codemirror-6.0.2.min.js";
import { runTests, sameJson } from "./coderun.js";

const $ = (selector) => document.getElementById(selector);
const clock = (seconds) => `${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(Math.floor(seconds % 60)).padStart(2, "0")}`;
const show = (value) => JSON.stringify(value);
// As the server's limit (questionbank.coding.MAX_SOURCE_CHARS): a paste past it is not sent.
const MAX_SOURCE_CHARS = 20_000;

function starter(language, fn, params) {
  return language === "python"
    ? `def ${fn.python}(${params.join(", ")}):\n    pass\n`
    : `function ${fn.javascript}(${params.join(", ")}) {\n  \n}\n`;
}

export class CodingPanel {
  constructor(root, { interviewId, nonce, onSubmit, showError }) {
    this.root = root;
    this.onSubmit = onSubmit;
    this.showError = showError;
    this.key = `rehearse:${interviewId}:code`;
    this.problem = null;
    this.step = "";
    this.codeStep = false; // the Implement step is open: code is the answer
    this.busy = false;
    this.stepStarted = performance.now();
    this.started = performance.now();
    this.language = new Compartment();
    this.saved = JSON.parse(sessionStorage.getItem(this.key) || "{}");
    this.editor = new EditorView({
      parent: $("code-editor"),
      state: EditorState.create({
        doc: "",
        extensions: [
          basicSetup,
          keymap.of([indentWithTab]),
          this.language.of(python()),
          EditorView.cspNonce.of(nonce),
          EditorView.contentAttributes.of({ "aria-label": "Your code" }),
          EditorView.updateListener.of((update) => update.docChanged && this.keep()),
        ],
      }),
    });
    $("code-language").addEventListener("change", () => this.setLanguage($("code-language").value));
    $("code-run").addEventListener("click", () => this.run());
    $("code-submit").addEventListener("click", () => this.submit());
    setInterval(() => this.tick(), 1000);
  }

  get source() {
    return this.editor.state.doc.toString();
  }

  keep() {
    this.saved[$("code-language").value] = this.source;
    sessionStorage.setItem(this.key, JSON.stringify(this.saved));
  }

  setLanguage(language) {
    const source = this.saved[language] ?? (this.problem ? starter(language, this.problem.function, this.problem.params) : "");
    this.editor.dispatch({
      changes: { from: 0, to: this.editor.state.doc.length, insert: source },
      effects: this.language.reconfigure(language === "python" ? python() : javascript()),
    });
  }

  /** A question of the interview: a step of the problem (the first brings the problem). */
  show(event) {
    if (!event.step) return;
    if (event.problem && !this.problem) this.showProblem(event.problem);
    if (event.step !== this.step || event.kind === "core") this.stepStarted = performance.now();
    this.step = event.step;
    this.turn = event.turn;
    this.codeStep = event.step === "implement" && event.kind === "core";
    $("coding-step").textContent = event.text.split(":")[0];
    this.tick();
    this.render();
  }

  /** The Implement step was answered (its transcript came): the code is in. */
  answered(turn) {
    if (this.codeStep && this.turn === turn) this.codeStep = false;
    this.render();
  }

  showProblem(problem) {
    this.problem = problem;
    $("problem-title").textContent = problem.title;
    $("problem-statement").textContent = problem.statement;
    $("problem-examples").replaceChildren(
      ...problem.examples.map((example) => {
        const item = document.createElement("li");
        const call = document.createElement("code");
        call.textContent = `${problem.function.python}(${example.args.map(show).join(", ")}) → ${show(example.expected)}`;
        item.append(call);
        if (example.explanation) item.append(document.createTextNode(` ${example.explanation}`));
        return item;
      }),
    );
    $("problem-constraints").replaceChildren(
      ...problem.constraints.map((text) => Object.assign(document.createElement("li"), { textContent: text })),
    );
    this.setLanguage($("code-language").value);
  }

  render() {
    this.root.hidden = !this.problem;
    $("code-submit").hidden = !this.codeStep;
    $("code-run").disabled = $("code-submit").disabled = this.busy || !this.problem;
    $("code-help").hidden = !this.codeStep;
  }

  tick() {
    const now = performance.now();
    $("coding-timer").textContent = `This step ${clock((now - this.stepStarted) / 1000)} · in all ${clock((now - this.started) / 1000)}`;
  }

  async execute(tests) {
    this.busy = true;
    this.render();
    const language = $("code-language").value;
    const table = $("code-results");
    table.replaceChildren();
    $("code-status").textContent = language === "python" ? "Running (Python starts in a few seconds the first time)…" : "Running…";
    const rows = new Map(
      tests.map((test) => {
        const row = document.createElement("tr");
        row.dataset.test = test.id;
        row.append(...["", "running…", "", ""].map((text) => Object.assign(document.createElement("td"), { textContent: text })));
        row.cells[0].textContent = `${test.id + 1}${test.hidden ? " (hidden)" : ""}`;
        table.append(row);
        return [test.id, row];
      }),
    );
    const name = this.problem.function[language];
    const results = await runTests({
      language,
      source: this.source,
      name,
      tests,
      onResult: (result) => {
        const test = tests.find((t) => t.id === result.id);
        const row = rows.get(result.id);
        const passed = !result.error && "expected" in test ? sameJson(result.output, test.expected) : null;
        row.className = passed === true ? "passed" : passed === false || result.error ? "failed" : "";
        row.cells[1].textContent = result.error ? "error" : passed === null ? "ran" : passed ? "passed" : "failed";
        row.cells[2].textContent = result.ms == null ? "" : `${result.ms.toFixed(1)} ms`;
        row.cells[3].textContent = result.error || (test.hidden ? "checked when you submit" : `returned ${show(result.output)}, expected ${show(test.expected)}`);
      },
    });
    this.busy = false;
    this.render();
    return results.map((result) => {
      const test = tests.find((t) => t.id === result.id);
      // A pass is claimed only where the page knows the answer; the server decides the rest.
      return "expected" in test ? { ...result, passed: !result.error && sameJson(result.output, test.expected) } : result;
    });
  }

  async run() {
    if (!this.source.trim()) return this.showError("Write your function first.");
    const results = await this.execute(this.problem.tests.filter((test) => !test.hidden));
    const passed = results.filter((r) => r.passed).length;
    $("code-status").textContent = `${passed} of ${results.length} example tests passed.`;
  }

  async submit() {
    if (!this.source.trim()) return this.showError("Write your function first.");
    if (this.source.length > MAX_SOURCE_CHARS) {
      return this.showError(
        `Your code is ${this.source.length.toLocaleString()} characters; the limit is ${MAX_SOURCE_CHARS.toLocaleString()}. ` +
          "An interview solution is a function or two: submit just that.",
      );
    }
    const results = await this.execute(this.problem.tests);
    $("code-status").textContent = "Submitted: the server checks every test, including the hidden ones.";
    this.onSubmit({ language: $("code-language").value, source: this.source, results });
  }
}
