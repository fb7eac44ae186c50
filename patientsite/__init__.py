"""patientsite: a static-site generator for plain-language patient education.

The pipeline, one module a stage: load → validate → render → write, with serve as a thin live preview over
the same build. `pipeline.build_site` is the recipe that calls them in order.
"""
