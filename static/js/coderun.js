// Run a candidate's code on tests in a Worker (see coderun-worker.js), one test at a time, each
// with a time limit: a test past it stops the worker (an endless loop cannot be interrupted any
// other way), and the tests after it are not run. The results go to the server with the code,
// which decides which passed; nothing submitted is ever run there.

// Python's first run loads Pyodide (a few seconds, more on a slow machine).
const LOAD_LIMIT_MS = 90_000;
export const TEST_LIMIT_MS = 5_000;

const workers = new Map(); // language → a worker kept between runs (Pyodide loads once)

function workerFor(language) {
  if (!workers.has(language)) {
    workers.set(language, new Worker(new URL("./coderun-worker.js", import.meta.url), { type: "module" }));
  }
  return workers.get(language);
}

function stop(language) {
  workers.get(language)?.terminate();
  workers.delete(language);
}

/** Run `source`'s function `name` on each test ({id, args}); resolve to one result per test,
 *  in order: {id, output, error, ms}. `onResult` sees each as it comes. */
export function runTests({ language, source, name, tests, onResult = () => {}, limitMs = TEST_LIMIT_MS }) {
  return new Promise((resolve) => {
    const worker = workerFor(language);
    const results = new Map();
    let current = null;
    let timer = 0;
    const finish = () => {
      clearTimeout(timer);
      worker.onmessage = worker.onerror = null;
      resolve(tests.map((test) => results.get(test.id)));
    };
    const add = (result) => {
      results.set(result.id, result);
      onResult(result);
    };
    const watch = (ms, why) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stop(language);
        for (const test of tests) {
          if (results.has(test.id)) continue;
          const error = test.id === current ? why : "Not run: an earlier test ran out of time.";
          add({ id: test.id, output: null, error, ms: test.id === current ? ms : null });
        }
        finish();
      }, ms);
    };
    worker.onmessage = ({ data }) => {
      if (data.type === "start") {
        current = data.id;
        watch(limitMs, `Stopped after ${limitMs / 1000} s: does your code loop forever, or is it too slow?`);
      } else if (data.type === "result") {
        add({ id: data.id, output: data.output, error: data.error, ms: data.ms });
      } else if (data.type === "done") {
        finish();
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      stop(language);
      for (const test of tests) {
        if (!results.has(test.id)) add({ id: test.id, output: null, error: `The code runner failed: ${event.message}`, ms: null });
      }
      finish();
    };
    watch(LOAD_LIMIT_MS, "Stopped: the language took too long to start.");
    worker.postMessage({ language, source, name, tests: tests.map(({ id, args }) => ({ id, args })) });
  });
}

/** Whether two JSON values are the same, key order aside (true is not 1). */
export function sameJson(a, b) {
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = Object.keys(b);
    return Object.keys(a).length === keys.length && keys.every((key) => key in a && sameJson(a[key], b[key]));
  }
  return a === b;
}
