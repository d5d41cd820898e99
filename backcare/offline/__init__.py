"""Offline reading: the service worker at ``/sw.js``, the web app manifests and the offline page.

The worker's code is ``worker.js`` beside this file, served at the site's root
(so its scope covers ``/`` and ``/cy/`` without ``Service-Worker-Allowed``)
with one line in front of it: the hashed addresses of the static files it
precaches and a version made from them, so a release with other files is a new
worker, whose ``activate`` deletes the old release's cache. What it keeps and
what it refuses is in the README ("Offline reading").
"""
