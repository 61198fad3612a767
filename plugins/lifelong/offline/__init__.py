"""The offline copy: packing a built copy as a zip or a ZIM file with its manifest, update
packs, verification, and remote images fetched into a copy.

Input: a built site folder. Output: files for USB sticks and Kiwix. No MkDocs (the copy is
built by ``lifelong.mkdocs.offline``).
"""
