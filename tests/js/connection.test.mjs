// The interview room's connection (static/js/connection.js), against a stand-in WebSocket:
// `node --test tests/js/` (no browser, no npm packages). Importing the module here, where there
// is no document or sessionStorage, is itself a check that it touches none when it loads.

import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";

import {
  CLOSED_FOR_GOOD,
  Connection,
  closesForGood,
  isNew,
  isReply,
  reconnectDelay,
  refuses,
  settles,
  socketUrl,
} from "../../static/js/connection.js";

/** A WebSocket the test drives: `open()`, `receive(event)`, `close(code)`; `sent` holds what went. */
class FakeSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 3;
  static made = [];

  constructor(url) {
    this.url = url;
    this.readyState = FakeSocket.CONNECTING;
    this.listeners = {};
    this.sent = [];
    FakeSocket.made.push(this);
  }

  addEventListener(type, listener) {
    (this.listeners[type] ??= []).push(listener);
  }

  #emit(type, event) {
    for (const listener of this.listeners[type] ?? []) listener(event);
  }

  send(data) {
    if (this.readyState !== FakeSocket.OPEN) throw new Error("InvalidStateError: not open");
    this.sent.push(data);
  }

  /** The JSON messages sent, parsed (binary frames left as they are). */
  get messages() {
    return this.sent.map((data) => (typeof data === "string" ? JSON.parse(data) : data));
  }

  open() {
    this.readyState = FakeSocket.OPEN;
    this.#emit("open", {});
  }

  receive(event) {
    this.#emit("message", { data: JSON.stringify(event) });
  }

  close(code = 1006) {
    this.readyState = FakeSocket.CLOSED;
    this.#emit("close", { code });
  }
}

/** sessionStorage's interface over a Map. */
class FakeStorage {
  items = new Map();
  getItem(key) {
    return this.items.has(key) ? this.items.get(key) : null;
  }
  setItem(key, value) {
    this.items.set(key, String(value));
  }
  removeItem(key) {
    this.items.delete(key);
  }
}

const KEY = "rehearse:7:pending";

/** A Connection on fakes, recording every callback; `timers` holds the reconnects it scheduled. */
function room({ storage = new FakeStorage() } = {}) {
  const calls = [];
  const timers = [];
  const record =
    (name) =>
    (...args) =>
      calls.push([name, ...args]);
  const connection = new Connection("ws://test/ws/interviews/7/", {
    pendingKey: KEY,
    storage,
    WebSocket: FakeSocket,
    setTimeout: (work, delay) => timers.push({ work, delay }),
    onEvent: record("event"),
    onReply: record("reply"),
    onOpen: record("open"),
    onClose: record("close"),
    onStatus: record("status"),
    onClosedForGood: record("closedForGood"),
  });
  const of = (name) => calls.filter((call) => call[0] === name).map((call) => call.slice(1));
  return { connection, storage, calls, timers, of, socket: () => FakeSocket.made.at(-1) };
}

const state = (seq, value = "listening") => ({ type: "state", seq, state: value });

beforeEach(() => {
  FakeSocket.made = [];
});

describe("the pure parts", () => {
  test("reconnect delays double from half a second up to ten seconds", () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 10].map(reconnectDelay),
      [500, 1000, 2000, 4000, 8000, 10000, 10000, 10000],
    );
  });

  test("an event is new only past the last seq seen", () => {
    assert.equal(isNew({ seq: 1 }, 0), true);
    assert.equal(isNew({ seq: 5 }, 4), true);
    assert.equal(isNew({ seq: 4 }, 4), false);
    assert.equal(isNew({ seq: 2 }, 4), false);
  });

  test("replies are the events with seq null, and the question as it is written", () => {
    assert.equal(isReply({ type: "error", seq: null }), true);
    assert.equal(isReply({ type: "transcript", seq: null, provisional: true }), true);
    assert.equal(isReply({ type: "question.delta", seq: null }), true);
    assert.equal(isReply({ type: "error", seq: 3 }), false);
    assert.equal(isReply({ type: "state", seq: 0 }), false);
  });

  test("the kept answer is settled by its own turn's transcript only", () => {
    const pending = { turn: 2, text: "hi", client_id: "a" };
    assert.equal(settles(pending, { type: "transcript", turn: 2, seq: 9 }), true);
    assert.equal(settles(pending, { type: "transcript", turn: 1, seq: 9 }), false);
    assert.equal(settles(pending, { type: "question", turn: 2, seq: 9 }), false);
    assert.equal(settles(null, { type: "transcript", turn: 2, seq: 9 }), false);
  });

  test("a refusal drops the kept answer, unless it is about frames or the rate", () => {
    const pending = { turn: 2, text: "hi", client_id: "a" };
    assert.equal(refuses(pending, { type: "error", seq: null, code: "paused" }), true);
    assert.equal(refuses(pending, { type: "error", seq: null, code: "unexpected_binary" }), false);
    assert.equal(refuses(pending, { type: "error", seq: null, code: "too_many_messages" }), false);
    assert.equal(refuses(pending, { type: "transcript", seq: null }), false);
    assert.equal(refuses(null, { type: "error", seq: null, code: "paused" }), false);
  });

  test("4403 and 4404 close for good, nothing else", () => {
    assert.deepEqual([...CLOSED_FOR_GOOD].sort(), [4403, 4404]);
    assert.equal(closesForGood(4403), true);
    assert.equal(closesForGood(4404), true);
    for (const code of [1000, 1001, 1006, 1011, 4000, 4400]) assert.equal(closesForGood(code), false);
  });

  test("the socket address follows the page's scheme and host", () => {
    assert.equal(socketUrl({ protocol: "http:", host: "localhost:8000" }, 7), "ws://localhost:8000/ws/interviews/7/");
    assert.equal(socketUrl({ protocol: "https:", host: "rehearse.example" }, "12"), "wss://rehearse.example/ws/interviews/12/");
  });
});

describe("the Connection", () => {
  test("nothing goes before it is open; on open it syncs after seq 0", () => {
    const { connection, of, socket } = room();
    assert.equal(connection.socket, null);
    assert.equal(connection.connected, false);
    assert.equal(connection.send({ type: "start" }), false);
    connection.connect();
    assert.equal(socket().url, "ws://test/ws/interviews/7/");
    assert.deepEqual(of("status"), [["connecting"]]);
    assert.equal(connection.send({ type: "start" }), false);
    socket().open();
    assert.equal(connection.connected, true);
    assert.deepEqual(of("status"), [["connecting"], ["connected"]]);
    assert.equal(of("open").length, 1);
    assert.deepEqual(socket().messages, [{ type: "sync", after: 0 }]);
    assert.equal(connection.send({ type: "start" }), true);
    const frame = new Blob(["recording"]);
    assert.equal(connection.sendFrame(frame), true);
    assert.deepEqual(socket().messages.slice(1), [{ type: "start" }, frame]);
  });

  test("events out of order: one at or below the last seq seen is dropped", () => {
    const { connection, of, socket } = room();
    connection.connect();
    socket().open();
    socket().receive(state(1, "ready"));
    socket().receive(state(3, "asking"));
    socket().receive(state(2, "listening")); // late: the interview is already past it
    socket().receive(state(3, "asking")); // twice
    socket().receive(state(4, "listening"));
    assert.deepEqual(
      of("event").map(([event]) => event.seq),
      [1, 3, 4],
    );
    assert.equal(connection.lastSeq, 4);
  });

  test("a replay overlapping live events shows each event once, and the reconnect syncs after the last", () => {
    const { connection, of, socket, timers } = room();
    connection.connect();
    socket().open();
    // Live events arrive while the replay (1..3) is on its way.
    socket().receive(state(1, "ready"));
    socket().receive({ type: "question", seq: 2, turn: 1, text: "Tell me about yourself." });
    socket().receive(state(3));
    socket().receive(state(1, "ready"));
    socket().receive({ type: "question", seq: 2, turn: 1, text: "Tell me about yourself." });
    socket().receive(state(3));
    socket().receive({ type: "transcript", seq: 4, turn: 1, text: "I build things." });
    assert.deepEqual(
      of("event").map(([event]) => event.seq),
      [1, 2, 3, 4],
    );
    socket().close(1006);
    timers.shift().work();
    socket().open();
    assert.deepEqual(socket().messages, [{ type: "sync", after: 4 }]);
    socket().receive(state(3)); // the server's replay overlaps what this page has
    socket().receive(state(5, "asking"));
    assert.deepEqual(
      of("event").map(([event]) => event.seq),
      [1, 2, 3, 4, 5],
    );
  });

  test("replies (seq null) pass through apart and leave the last seq alone", () => {
    const { connection, of, socket } = room();
    connection.connect();
    socket().open();
    socket().receive(state(5));
    const delta = { type: "question.delta", seq: null, turn: 2, text: "Tell me" };
    const caption = { type: "transcript", seq: null, provisional: true, client_id: "c", text: "so far" };
    const refusal = { type: "error", seq: null, code: "paused", message: "The interview is paused." };
    for (const reply of [delta, caption, refusal, caption]) socket().receive(reply);
    assert.deepEqual(
      of("reply").map(([reply, refused]) => [reply, refused]),
      [
        [delta, null],
        [caption, null],
        [refusal, null],
        [caption, null],
      ],
    );
    assert.equal(connection.lastSeq, 5);
    assert.equal(of("event").length, 1);
  });

  test("the kept answer goes again on every reconnect and is cleared by its transcript", () => {
    const { connection, storage, of, socket, timers } = room();
    connection.connect();
    socket().open();
    socket().receive({ type: "question", seq: 1, turn: 1, text: "Why this role?" });
    const answer = { turn: 1, text: "Because.", client_id: "answer-1" };
    socket().close(1006); // the answer is typed into a dead connection
    assert.equal(connection.sendAnswer(answer), false);
    assert.deepEqual(connection.pending, answer);
    assert.deepEqual(JSON.parse(storage.getItem(KEY)), answer);
    timers.shift().work();
    socket().open();
    assert.deepEqual(socket().messages, [
      { type: "sync", after: 1 },
      { type: "answer", ...answer },
    ]);
    // Dropped again before its transcript: it goes once more (stored once, by its client_id).
    socket().close(1006);
    timers.shift().work();
    socket().open();
    assert.deepEqual(socket().messages, [
      { type: "sync", after: 1 },
      { type: "answer", ...answer },
    ]);
    // Another turn's transcript leaves it kept; its own clears it.
    socket().receive({ type: "transcript", seq: 2, turn: 0, text: "older" });
    assert.deepEqual(connection.pending, answer);
    socket().receive({ type: "transcript", seq: 3, turn: 1, text: "Because.", source: "typed", final: true });
    assert.equal(connection.pending, null);
    assert.equal(storage.getItem(KEY), null);
    socket().close(1006);
    timers.shift().work();
    socket().open();
    assert.deepEqual(socket().messages, [{ type: "sync", after: 3 }]);
    // The transcript was passed on after the answer was cleared.
    assert.equal(of("event").at(-1)[0].seq, 3);
  });

  test("an answer sent while connected goes at once and is kept until its transcript", () => {
    const { connection, socket } = room();
    connection.connect();
    socket().open();
    const answer = { turn: 2, text: "", client_id: "c2", code: { language: "python", source: "pass", results: [] } };
    assert.equal(connection.sendAnswer(answer), true);
    assert.deepEqual(socket().messages.at(-1), { type: "answer", ...answer });
    assert.deepEqual(connection.pending, answer);
  });

  test("a kept answer survives a reload (from storage) and goes on the first open", () => {
    const storage = new FakeStorage();
    const answer = { turn: 3, text: "Kept.", client_id: "k" };
    storage.setItem(KEY, JSON.stringify(answer));
    const { connection, socket } = room({ storage });
    assert.deepEqual(connection.pending, answer);
    connection.connect();
    socket().open();
    assert.deepEqual(socket().messages, [
      { type: "sync", after: 0 },
      { type: "answer", ...answer },
    ]);
  });

  test("a refusal hands the kept answer back and forgets it; frames and rate refusals keep it", () => {
    const { connection, storage, of, socket } = room();
    connection.connect();
    socket().open();
    const answer = { turn: 1, text: "Too soon.", client_id: "r" };
    connection.sendAnswer(answer);
    const binary = { type: "error", seq: null, code: "unexpected_binary", message: "Start a recording before sending audio." };
    const rate = { type: "error", seq: null, code: "too_many_messages", message: "Too many messages at once; slow down." };
    socket().receive(binary);
    socket().receive(rate);
    assert.deepEqual(connection.pending, answer);
    const paused = { type: "error", seq: null, code: "paused", message: "The interview is paused." };
    socket().receive(paused);
    assert.equal(connection.pending, null);
    assert.equal(storage.getItem(KEY), null);
    assert.deepEqual(of("reply"), [
      [binary, null],
      [rate, null],
      [paused, answer],
    ]);
  });

  test("a logged error does not touch the kept answer", () => {
    const { connection, socket } = room();
    connection.connect();
    socket().open();
    const answer = { turn: 1, text: "Kept.", client_id: "e" };
    connection.sendAnswer(answer);
    socket().receive({ type: "error", seq: 1, code: "provider_failed", message: "Something went wrong." });
    assert.deepEqual(connection.pending, answer);
  });

  test("reconnects with growing delays, back to the shortest after an open", () => {
    const { connection, of, timers, socket } = room();
    connection.connect();
    const delays = [];
    for (let i = 0; i < 7; i++) {
      socket().close(1006);
      const timer = timers.shift();
      delays.push(timer.delay);
      timer.work();
    }
    assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 10000, 10000]);
    assert.equal(FakeSocket.made.length, 8);
    assert.deepEqual(of("status").slice(0, 3), [["connecting"], ["reconnecting"], ["reconnecting"]]);
    socket().open();
    socket().close(1001);
    assert.equal(timers.shift().delay, 500);
    assert.equal(of("close").length, 8);
    assert.equal(connection.closedForGood, false);
  });

  test("each close is reported before the reconnect is scheduled", () => {
    const { connection, calls, socket } = room();
    connection.connect();
    socket().open();
    calls.length = 0;
    socket().close(1006);
    assert.deepEqual(calls, [
      ["close", 1006],
      ["status", "reconnecting"],
    ]);
  });

  for (const code of [4403, 4404]) {
    test(`a close with ${code} ends it for good: no reconnect`, () => {
      const { connection, calls, timers, socket } = room();
      connection.connect();
      calls.length = 0;
      socket().close(code);
      assert.deepEqual(calls, [
        ["close", code],
        ["status", "closed"],
        ["closedForGood", code],
      ]);
      assert.equal(timers.length, 0);
      assert.equal(FakeSocket.made.length, 1);
      assert.equal(connection.closedForGood, true);
      assert.equal(connection.connected, false);
      assert.equal(connection.send({ type: "start" }), false);
    });
  }
});
