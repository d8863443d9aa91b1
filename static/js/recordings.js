// Recorded answers kept in IndexedDB until the server has them, so that a reload or a closed tab
// does not lose an answer. One recording per interview: its details under the interview's id,
// its pieces under [client_id, index]. Storage is a safety net: when it fails (a private window,
// a full disk) the room carries on with the copy in memory.

let opened = null;

function database() {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open("rehearse-recordings", 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore("recordings");
      request.result.createObjectStore("pieces");
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opened;
}

const done = (request) =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

const piecesOf = (clientId) => IDBKeyRange.bound([clientId, 0], [clientId, Infinity]);

async function write(work) {
  try {
    const transaction = (await database()).transaction(["recordings", "pieces"], "readwrite");
    work(transaction.objectStore("recordings"), transaction.objectStore("pieces"));
    await new Promise((resolve, reject) => {
      transaction.oncomplete = resolve;
      transaction.onerror = transaction.onabort = () => reject(transaction.error);
    });
  } catch (error) {
    console.warn("The recording is kept in memory only:", error);
  }
}

const details = (take) => ({ clientId: take.clientId, turn: take.turn, mime: take.mime, transcript: take.transcript });

/** Keep the recording's details (it has no pieces yet, or its transcript changed). */
export function keep(interviewId, take) {
  return write((recordings) => recordings.put(details(take), interviewId));
}

/** Keep one more piece of the recording, in order. */
export function keepPiece(take, index, blob) {
  return write((recordings, pieces) => pieces.put(blob, [take.clientId, index]));
}

/** Forget the interview's recording: the server has it, or it was refused or discarded. */
export function forget(interviewId, clientId) {
  return write((recordings, pieces) => {
    recordings.delete(interviewId);
    pieces.delete(piecesOf(clientId));
  });
}

/** Return the interview's kept recording ({clientId, turn, mime, transcript, chunks}) or null. */
export async function load(interviewId) {
  try {
    const transaction = (await database()).transaction(["recordings", "pieces"]);
    const kept = await done(transaction.objectStore("recordings").get(interviewId));
    if (!kept) return null;
    const chunks = await done(transaction.objectStore("pieces").getAll(piecesOf(kept.clientId)));
    return { ...kept, chunks };
  } catch (error) {
    console.warn("No kept recording could be read:", error);
    return null;
  }
}
