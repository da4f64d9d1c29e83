"""Regenerate ``given_names.tsv`` (not run at build time; kept so the table is reproducible).

Source: the name-gender table of nomquamgender 0.1.4 (Ian Van Buskirk, MIT licence,
https://github.com/ianvanbuskirk/nomquamgender), aggregated from public name registers. We keep
ASCII given names seen at least ``MIN_COUNT`` times as ``name<TAB>f|m|u``, sorted: ``f`` when at least
90% of the people so named are women, ``m`` when at most 10% are (the package's own default
threshold), ``u`` between. kg uses them to tell "he" from "she" when resolving a pronoun
speaker (a name absent from the table, or ambiguous, leaves the gender unknown) and, in linking,
to know a given name when it sees one.

    pip download nomquamgender==0.1.4 --no-deps -d /tmp/nqg && unzip /tmp/nqg/*.whl -d /tmp/nqg
    python kg/data/make_given_names.py /tmp/nqg/nomquamgender/name_data.json > kg/data/given_names.tsv
"""

import json
import sys

MIN_COUNT = 500


def main(path: str) -> None:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    print("# given name -> f/m/u; derived from nomquamgender 0.1.4 (MIT, (c) 2022 Ian Van Buskirk); see make_given_names.py")
    for name in sorted(data):
        _sources, count, share_f = data[name][:3]
        if not (name.isascii() and name.isalpha() and len(name) > 1) or count < MIN_COUNT:
            continue
        print(f"{name}\t{'m' if share_f <= 0.1 else 'f' if share_f >= 0.9 else 'u'}")


if __name__ == "__main__":
    main(sys.argv[1])
