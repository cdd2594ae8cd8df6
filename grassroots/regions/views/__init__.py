"""Region pages, one module per part (tree: the staff pages for the tree and
residents; places: the public place choices); urls.py imports the submodules."""
