"""Reading French text: words and numbers as French writes them (pure, no Django).

Below every app: the annotation page's proposals (annotations.panel) and the built-in
suggestions (annotator.suggestions) read casualty figures with the same code.
"""
