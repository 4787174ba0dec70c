"""Excel import and export of the four registries (人才库, 企业库, 平台库, 项目库).

* :mod:`.columns` — what each sheet holds: Chinese headers, rules, drop-down sources;
* :mod:`.reader` — opening an upload safely (size, type, zip-bomb limits, sheet, headers);
* :mod:`.xlsx` — the lean streaming reader of cell values behind it;
* :mod:`.rows` — validating every row (and duplicates inside the file) into clean values;
* :mod:`.upsert` — writing the clean rows in bulk, in one transaction, with one audit row;
* :mod:`.importer` — import jobs: preview, commit, progress, the background thread;
* :mod:`.template` — the template, the marked-up error workbook and the import-format export;
* :mod:`.exporter` — the registries' list exports in the import format;
* :mod:`.views` — the pages.
"""
