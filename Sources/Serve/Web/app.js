// The page of facenet serve: no framework. A dropped photo is sent to /api/v1/recognize; its faces are drawn
// over it with their names (green) or "unknown" (red). Enroll posts the same photo to a subject.
"use strict";
const $ = (id) => document.getElementById(id);
let photo = null; // the last chosen File

function headers() {
  const key = $("key").value.trim();
  sessionStorage.setItem("facenet-key", key);
  return key ? { "x-api-key": key } : {};
}

function say(text) { $("status").textContent = text; }

async function call(method, path, body) {
  const response = await fetch(path, { method, headers: headers(), body });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error((data.error && data.error.message) || response.statusText);
  return data;
}

function form() {
  const data = new FormData();
  data.append("file", photo);
  return data;
}

async function draw(file, faces) {
  const bitmap = await createImageBitmap(file);
  const canvas = $("canvas");
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  canvas.style.width = `${Math.max(bitmap.width, 480)}px`; // small photos (LFW's 250 px) shown larger

  const g = canvas.getContext("2d");
  g.drawImage(bitmap, 0, 0);
  const line = Math.max(2, Math.round(Math.min(bitmap.width, bitmap.height) / 200));
  g.lineWidth = line;
  g.font = `${Math.max(14, line * 7)}px system-ui, sans-serif`;
  for (const face of faces) {
    const [x1, y1, x2, y2] = face.box;
    const known = face.name !== "unknown";
    g.strokeStyle = g.fillStyle = known ? "#28c83c" : "#dc2828";
    g.strokeRect(x1, y1, x2 - x1, y2 - y1);
    g.fillText(`${face.name} ${face.distance === null ? "" : face.distance.toFixed(2)}`, x1, Math.max(14, y1 - 6));
  }
}

async function recognize(file) {
  photo = file;
  say("recognizing...");
  try {
    const result = await call("POST", "/api/v1/recognize", form());
    await draw(file, result.faces);
    const list = $("faces");
    list.replaceChildren();
    for (const face of result.faces) {
      const item = document.createElement("li");
      item.className = face.name === "unknown" ? "unknown" : "known";
      item.textContent = `${face.name} (distance ${face.distance === null ? "-" : face.distance}, confidence ${face.confidence})`;
      list.appendChild(item);
    }
    say(result.faces.length ? "" : "no face found");
  } catch (error) {
    say(error.message);
  }
}

async function enroll() {
  const name = $("name").value.trim();
  if (!photo || !name) { say("choose a photo and a name first"); return; }
  try {
    const face = await call("POST", `/api/v1/subjects/${encodeURIComponent(name)}/faces`, form());
    say(`enrolled face ${face.face_id} for ${face.subject}`);
    await subjects();
  } catch (error) {
    say(error.message);
  }
}

async function subjects() {
  try {
    const result = await call("GET", "/api/v1/subjects");
    const list = $("subjects");
    list.replaceChildren();
    for (const subject of result.subjects) {
      const item = document.createElement("li");
      item.textContent = `${subject.subject}: ${subject.faces} face(s)`;
      list.appendChild(item);
    }
  } catch (error) {
    say(error.message);
  }
}

$("key").value = sessionStorage.getItem("facenet-key") || "";
$("file").addEventListener("change", (event) => { if (event.target.files[0]) recognize(event.target.files[0]); });
const drop = $("drop");
drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  drop.classList.remove("over");
  if (event.dataTransfer.files[0]) recognize(event.dataTransfer.files[0]);
});
$("enroll").addEventListener("click", enroll);
$("refresh").addEventListener("click", subjects);
