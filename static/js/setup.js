// The setup page: explain voice answers when they are chosen, and check this browser can record.
const $ = (selector) => document.getElementById(selector);

function recordingProblem() {
  if (!window.isSecureContext) return "this page is not served over HTTPS, so the browser keeps the microphone off";
  if (!navigator.mediaDevices?.getUserMedia) return "this browser gives the page no microphone";
  if (!window.MediaRecorder) return "this browser cannot record audio";
  // Without transcription on the server, the browser's own speech recognition writes the answer.
  const serverStt = $("answer-mode").dataset.serverStt === "true";
  if (!serverStt && !(window.SpeechRecognition || window.webkitSpeechRecognition)) {
    return "this browser cannot turn speech into text, and this site does not transcribe on its server";
  }
  return "";
}

function update() {
  const voice = $("answer-mode").value === "voice";
  const reason = voice ? recordingProblem() : "";
  $("voice-help").hidden = !voice;
  $("voice-problem").hidden = !reason;
  $("voice-problem-reason").textContent = reason;
}

$("answer-mode").addEventListener("change", update);
$("use-text").addEventListener("click", () => {
  $("answer-mode").value = "text";
  update();
  $("answer-mode").focus();
});
update();
