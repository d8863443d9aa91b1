// Runs a candidate's function on test arguments, in this worker: the candidate's own browser,
// never the server. Python runs in Pyodide (served by Rehearse, loaded once per worker);
// JavaScript runs as a function built from the source. The page stops this worker when a test
// takes too long (an endless loop cannot be interrupted from inside).
//
// In:  {language, source, name, tests: [{id, args}]}
// Out: {type: "ready"} once the language is loaded, {type: "start", id} before each test,
//      {type: "result", id, output, error, ms} after it, then {type: "done"}.

const PYODIDE = new URL("../vendor/pyodide-0.29.5/", import.meta.url).href;
let pyodide = null;

async function loadPython() {
  if (!pyodide) {
    const { loadPyodide } = await import(`${PYODIDE}pyodide.mjs`);
    pyodide = await loadPyodide({ indexURL: PYODIDE });
    // print() goes nowhere: the result is what the function returns.
    pyodide.setStdout({ batched: () => {} });
    pyodide.setStderr({ batched: () => {} });
  }
  return pyodide;
}

// The last line of a Python traceback ("ValueError: ...") is what a candidate needs.
const lastLine = (message) => String(message).trim().split("\n").pop().slice(0, 300);

async function runPython(source, name, tests) {
  let py;
  try {
    py = await loadPython();
  } catch (error) {
    const failed = `Python could not start in this browser (${lastLine(error.message)}). Try JavaScript.`;
    return tests.forEach((test) => postMessage({ type: "result", id: test.id, output: null, error: failed, ms: 0 }));
  }
  postMessage({ type: "ready" });
  py.globals.set("__source__", source);
  try {
    py.runPython("import json\n__ns__ = {}\nexec(__source__, __ns__)");
  } catch (error) {
    return tests.forEach((test) => postMessage({ type: "result", id: test.id, output: null, error: lastLine(error.message), ms: 0 }));
  }
  if (!py.runPython(`callable(__ns__.get(${JSON.stringify(name)}))`)) {
    const missing = `Define a function named ${name}.`;
    return tests.forEach((test) => postMessage({ type: "result", id: test.id, output: null, error: missing, ms: 0 }));
  }
  const call = `json.dumps(__ns__[${JSON.stringify(name)}](*json.loads(__args__)))`;
  for (const test of tests) {
    postMessage({ type: "start", id: test.id });
    py.globals.set("__args__", JSON.stringify(test.args));
    const started = performance.now();
    try {
      const output = JSON.parse(py.runPython(call));
      postMessage({ type: "result", id: test.id, output, error: "", ms: performance.now() - started });
    } catch (error) {
      postMessage({ type: "result", id: test.id, output: null, error: lastLine(error.message), ms: performance.now() - started });
    }
  }
}

function runJavaScript(source, name, tests) {
  postMessage({ type: "ready" });
  let fn;
  try {
    // The source declares the function; this returns it (or nothing, if it does not).
    fn = new Function(`"use strict";\n${source}\n;return typeof ${name} === "function" ? ${name} : undefined;`)();
  } catch (error) {
    return tests.forEach((test) => postMessage({ type: "result", id: test.id, output: null, error: String(error).slice(0, 300), ms: 0 }));
  }
  if (!fn) {
    const missing = `Define a function named ${name}.`;
    return tests.forEach((test) => postMessage({ type: "result", id: test.id, output: null, error: missing, ms: 0 }));
  }
  for (const test of tests) {
    postMessage({ type: "start", id: test.id });
    const started = performance.now();
    try {
      const returned = fn(...structuredClone(test.args));
      const output = returned === undefined ? null : JSON.parse(JSON.stringify(returned));
      postMessage({ type: "result", id: test.id, output, error: "", ms: performance.now() - started });
    } catch (error) {
      postMessage({ type: "result", id: test.id, output: null, error: String(error).slice(0, 300), ms: performance.now() - started });
    }
  }
}

onmessage = async ({ data }) => {
  const { language, source, name, tests } = data;
  if (language === "python") await runPython(source, name, tests);
  else runJavaScript(source, name, tests);
  postMessage({ type: "done" });
};
