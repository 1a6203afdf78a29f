"""The offline text engine: normalise, segment, sentiment, tags, sensitive words, keywords.

Pure: it imports neither Flask nor the database, and reads only the directories it is
given (``Analyzer.load(config_dir, models_dir)``), so the server's pipeline, the `cem
text` commands, a bench script and a test call it alike. The appliance's wiring (queue
subscribers, pages, imports, corrections) is the `text` domain beside it.

    from appliance.textengine.analyzer import Analyzer
    Analyzer.load(config_dir, models_dir).analyse_batch(["服务很好"])
"""
