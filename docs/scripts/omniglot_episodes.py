#!/usr/bin/env python3
"""Writes fixed few-shot episodes from Omniglot zips for `atnas evaluate --episodes` and
`atnas data baseline --episodes`: EPISODES/<episode>/support/<character>/<drawing>.png and
EPISODES/<episode>/query/<character>/<drawing>.png. Each episode draws WAYS characters of the given
alphabets, SHOTS drawings of each for the support set and QUERIES other drawings for the query set.
Seeded: the same arguments write the same episodes.

  python3 docs/scripts/omniglot_episodes.py OUT ZIP[,ZIP...] --alphabets Sanskrit,Tagalog \
      --episodes 100 --ways 20 --shots 1 --queries 1 --seed 0
"""
import argparse
import os
import random
import zipfile


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("zips", help="Omniglot zips, comma-separated")
    parser.add_argument("--alphabets", required=True, help="comma-separated, e.g. Sanskrit,Tagalog")
    parser.add_argument("--episodes", type=int, default=100)
    parser.add_argument("--ways", type=int, default=20)
    parser.add_argument("--shots", type=int, default=1)
    parser.add_argument("--queries", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    alphabets = set(args.alphabets.split(","))
    # character -> {drawing file name: (zip, entry)}; a character in several zips is one class
    characters = {}
    for path in args.zips.split(","):
        with zipfile.ZipFile(path) as archive:
            for entry in archive.namelist():
                parts = entry.split("/")
                if len(parts) >= 3 and parts[-3] in alphabets and entry.lower().endswith(".png"):
                    characters.setdefault(parts[-3] + "-" + parts[-2], {})[parts[-1]] = (path, entry)
    names = sorted(characters)
    if len(names) < args.ways:
        raise SystemExit(f"{len(names)} characters in {sorted(alphabets)}, fewer than {args.ways} ways")
    random.seed(args.seed)
    archives = {}
    for e in range(args.episodes):
        episode = os.path.join(args.out, f"episode-{e:03d}")
        for character in random.sample(names, args.ways):
            drawings = sorted(characters[character])
            chosen = random.sample(drawings, args.shots + args.queries)
            for i, drawing in enumerate(chosen):
                folder = os.path.join(episode, "support" if i < args.shots else "query", character)
                os.makedirs(folder, exist_ok=True)
                path, entry = characters[character][drawing]
                archive = archives.setdefault(path, zipfile.ZipFile(path))
                with open(os.path.join(folder, drawing), "wb") as out:
                    out.write(archive.read(entry))
    print(f"{args.episodes} episodes of {args.ways}-way {args.shots}-shot {args.queries}-query from {len(names)} characters written to {args.out}")


if __name__ == "__main__":
    main()
