"""Reads a facenet gallery with Python's own sqlite3 module (an independent reader of the file format).

  gallery_read.py --integrity FILE    prints PRAGMA integrity_check's answer ("ok")
  gallery_read.py --make-other FILE   writes an SQLite file that is not a gallery
  gallery_read.py GALLERY    prints JSON: {"info": {key: value}, "identities": {name: [[floats of each face]]},
                             "faces": [[id, identity name, source_sha256]]}
Embeddings are decoded as little-endian float32 (struct '<f'), as docs/formats.md says they are stored.
"""
import json
import sqlite3
import struct
import sys

if sys.argv[1] == "--integrity":  # PRAGMA integrity_check's answer
    print("; ".join(row[0] for row in sqlite3.connect(sys.argv[2]).execute("PRAGMA integrity_check")))
    sys.exit(0)
if sys.argv[1] == "--make-other":  # an SQLite file that is not a gallery, for the tests
    other = sqlite3.connect(sys.argv[2])
    other.execute("CREATE TABLE notes (text TEXT)")
    other.commit()
    sys.exit(0)
db = sqlite3.connect(sys.argv[1])
info = dict(db.execute("SELECT key, value FROM gallery_info"))
identities = {}
faces = []
for face_id, name, blob, sha in db.execute(
        "SELECT faces.id, identities.name, faces.embedding, faces.source_sha256 FROM faces "
        "JOIN identities ON identities.id = faces.identity_id ORDER BY faces.id"):
    identities.setdefault(name, []).append(list(struct.unpack("<%df" % (len(blob) // 4), blob)))
    faces.append([face_id, name, sha])
print(json.dumps({"info": info, "identities": identities, "faces": faces}))
