"""The only room that imports MkDocs: the ``lifelong/catalogue`` plugin (its events call
into the other rooms), its options, the theme's files added to a Material site, other
plugins beside it, the offline build, ``lifelong serve``'s server and MkDocs' commands as
the command line runs them.

Input: MkDocs' config and events. Output: a site. A move to another MkDocs 1.x engine
(ProperDocs) touches only this room.
"""
