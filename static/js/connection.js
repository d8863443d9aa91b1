// The interview room's connection to the server (docs/protocol.md): one WebSocket, reconnected by
// itself with a growing delay; after each (re)connect the event log replayed from the last event
// seen, so that every logged event reaches the page once and in order; and the typed answer kept
// until its transcript comes. No view code here: room.js shows what the callbacks report.
//
// Nothing here touches the browser when the module is imported: the WebSocket class, the storage
// and the timer can be passed in, and the pure parts are exported functions (tests/js/).

/** `WebSocket.OPEN` (a stand-in socket need not define it). */
const OPEN = 1;

/** Close codes after which trying again cannot help: an anonymous visitor, or not your interview. */
export const CLOSED_FOR_GOOD = new Set([4403, 4404]);

// Refusals that say nothing of the kept answer: the frames after a refused `audio.start` (that
// refusal already said why), and too many messages at once (the answer goes again on reconnect).
const NOT_ABOUT_THE_ANSWER = new Set(["unexpected_binary", "too_many_messages"]);

/** The room's socket address for the page at `location` ({protocol, host}). */
export function socketUrl(location, interviewId) {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/interviews/${interviewId}/`;
}

/** The wait before reconnecting, in milliseconds, after `attempts` failed tries since the last open. */
export function reconnectDelay(attempts) {
  return Math.min(10000, 500 * 2 ** attempts);
}

/**
 * Whether a message from the server is a reply to one message of this page and not an event of
 * the interview's log: a refusal, a provisional caption, the question as it is written. It has
 * `seq: null`, is never replayed, and leaves the last seq seen alone.
 */
export function isReply(event) {
  return event.type === "question.delta" || event.seq === null;
}

/** Whether a logged event is new, given the last seq seen; not when a replay overlaps live events. */
export function isNew(event, lastSeq) {
  return event.seq > lastSeq;
}

/** Whether a logged event is the kept answer's answer of record: its transcript. */
export function settles(pending, event) {
  return Boolean(pending) && event.type === "transcript" && pending.turn === event.turn;
}

/** Whether a reply refuses the kept answer: it was not stored, so it is no longer kept. */
export function refuses(pending, reply) {
  return Boolean(pending) && reply.type === "error" && !NOT_ABOUT_THE_ANSWER.has(reply.code);
}

/** Whether a close ends the connection for good (no reconnecting). */
export function closesForGood(code) {
  return CLOSED_FOR_GOOD.has(code);
}

/**
 * One room's connection. Callbacks, each optional:
 * - `onEvent(event)`: a new logged event, in order and once (the last seq seen already advanced);
 * - `onReply(reply, refusedAnswer)`: a reply (`seq: null`); `refusedAnswer` is the kept answer
 *   the reply refused (no longer kept), if it refused one;
 * - `onOpen()`: connected, once `sync` and the kept answer have been sent;
 * - `onClose(code)`: the socket closed, before reconnecting or giving up;
 * - `onStatus(status)`: "connecting", "reconnecting", "connected" or "closed";
 * - `onClosedForGood(code)`: closed with 4403 or 4404: it is not opened again.
 * `pendingKey` is where the kept answer survives a reload (in `storage`, sessionStorage).
 */
export class Connection {
  #url;
  #callbacks;
  #WebSocket;
  #storage;
  #pendingKey;
  #setTimeout;
  #socket = null;
  #lastSeq = 0;
  #attempts = 0;
  #closedForGood = false;
  #pending;

  constructor(
    url,
    { pendingKey, storage = globalThis.sessionStorage, WebSocket = globalThis.WebSocket, setTimeout, ...callbacks } = {},
  ) {
    this.#url = url;
    this.#callbacks = callbacks;
    this.#WebSocket = WebSocket;
    this.#storage = storage;
    this.#pendingKey = pendingKey;
    this.#setTimeout = setTimeout ?? ((work, delay) => globalThis.setTimeout(work, delay));
    // The answer sent but not yet confirmed by its transcript: resent on reconnect, stored once.
    this.#pending = pendingKey ? JSON.parse(storage.getItem(pendingKey) || "null") : null;
  }

  /** The socket in use (null before `connect`): a recording sent on it need not go again. */
  get socket() {
    return this.#socket;
  }

  get connected() {
    return this.#socket?.readyState === OPEN;
  }

  /** The seq of the newest logged event passed on (0 before any). */
  get lastSeq() {
    return this.#lastSeq;
  }

  /** The typed answer sent but not yet stored as far as this page knows, or null. */
  get pending() {
    return this.#pending;
  }

  get closedForGood() {
    return this.#closedForGood;
  }

  /** Send a message (JSON); return whether it went (not while disconnected). */
  send(message) {
    return this.sendFrame(JSON.stringify(message));
  }

  /** Send a frame as it is (a Blob of a recording); return whether it went. */
  sendFrame(data) {
    if (!this.connected) return false;
    this.#socket.send(data);
    return true;
  }

  /**
   * Send a typed answer ({turn, text, client_id, code?}) and keep it until its transcript comes:
   * sent again on every reconnect (its client_id makes the server store it once). Return whether
   * it went now.
   */
  sendAnswer(answer) {
    this.#setPending(answer);
    return this.send({ type: "answer", ...answer });
  }

  #setPending(value) {
    this.#pending = value;
    if (!this.#pendingKey) return;
    if (value) this.#storage.setItem(this.#pendingKey, JSON.stringify(value));
    else this.#storage.removeItem(this.#pendingKey);
  }

  #call(name, ...args) {
    this.#callbacks[name]?.(...args);
  }

  connect() {
    this.#call("onStatus", this.#attempts ? "reconnecting" : "connecting");
    const socket = new this.#WebSocket(this.#url);
    this.#socket = socket;
    socket.addEventListener("open", () => {
      this.#attempts = 0;
      this.#call("onStatus", "connected");
      this.send({ type: "sync", after: this.#lastSeq });
      // An answer sent into a dead connection goes again; if it did arrive, it is stored once.
      if (this.#pending) this.send({ type: "answer", ...this.#pending });
      this.#call("onOpen");
    });
    socket.addEventListener("message", (message) => this.#receive(JSON.parse(message.data)));
    socket.addEventListener("close", (close) => {
      this.#call("onClose", close.code);
      if (closesForGood(close.code)) {
        this.#closedForGood = true;
        this.#call("onStatus", "closed");
        this.#call("onClosedForGood", close.code);
        return;
      }
      if (this.#closedForGood) return;
      this.#call("onStatus", "reconnecting");
      this.#setTimeout(() => this.connect(), reconnectDelay(this.#attempts++));
    });
  }

  #receive(event) {
    if (isReply(event)) {
      const refused = refuses(this.#pending, event) ? this.#pending : null;
      if (refused) this.#setPending(null);
      this.#call("onReply", event, refused);
      return;
    }
    if (!isNew(event, this.#lastSeq)) return; // already passed on: a replay overlaps what arrived live
    this.#lastSeq = event.seq;
    if (settles(this.#pending, event)) this.#setPending(null);
    this.#call("onEvent", event);
  }
}
