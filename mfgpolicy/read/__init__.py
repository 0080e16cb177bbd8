"""Reading the project's files: one reader for each kind (curated CSV, sidecar, raw text).

Every reader refuses a file over the size limit (``limits``), decodes strictly as UTF-8 and
raises ``mfgpolicy.errors.ReadError`` naming the file (and the line, where known).
"""
