"""rlist.py: reads a regression list (regress/lists/<name>.toml) and expands it into runs.

A list names configurations and tests; every test runs in each of its configurations with
each of its seeds. regress/README.md describes the format; the rules enforced here:
  1. Every key is known; a misspelt one is an error, never silently ignored.
  2. A test's ELF glob matches at least one file; one test per file, named after its stem
     unless the entry gives `name` (then the glob must match exactly one file).
  3. Run ids `<test>.<config>.<seed>` are unique in a list; test and config names use
     [A-Za-z0-9_-] only, so the id splits back unambiguously.
"""

import glob
import os
import re
import tomllib

SIMS = ("umbra", "iss", "qemu")
CHECKS = ("qemu", "exit", "expect")
NAME_RE = re.compile(r"^[A-Za-z0-9_-]+$")

DEFAULT_KEYS = {"seeds", "timeout", "max_cycles"}
CONFIG_KEYS = {"sim", "mem_latency", "bootargs", "args", "max_cycles", "timeout"}
TEST_KEYS = {"elf", "name", "check", "exit", "expect_from", "configs", "seeds", "timeout",
             "max_cycles", "bootargs", "args", "repeat", "what"}


class ListError(Exception):
    """A list that cannot be used; the message names the file and the entry."""


class Run:
    """One run: a test (ELF and check) in one configuration with one seed."""

    def __init__(self, test, config, seed):
        self.test, self.config, self.seed = test, config, seed
        self.id = "%s.%s.%d" % (test["name"], config["name"], seed)

    @property
    def sim(self):
        return self.config["sim"]

    def setting(self, key, default=None):
        """A per-run setting: the test's value, else the configuration's, else the list's."""
        for table in (self.test, self.config, self.test["_defaults"]):
            if key in table:
                return table[key]
        return default

    def bootargs(self):
        parts = [self.config.get("bootargs", ""), self.test.get("bootargs", "")]
        return " ".join(p for p in parts if p)

    def extra_args(self):
        return list(self.config.get("args", [])) + list(self.test.get("args", []))


def list_path(name, root="regress/lists"):
    """LIST=quick means regress/lists/quick.toml; a path to a .toml file is taken as it is."""
    if name.endswith(".toml") or os.sep in name:
        return name
    return os.path.join(root, name + ".toml")


def known_lists(directory):
    """" (lists: full, quick)" for an error message, or "" when the directory has none."""
    try:
        names = sorted(os.path.splitext(n)[0] for n in os.listdir(directory or ".")
                       if n.endswith(".toml"))
    except OSError:
        names = []
    return " (lists: %s)" % ", ".join(names) if names else ""


def _want(cond, where, msg):
    if not cond:
        raise ListError("%s: %s" % (where, msg))


def _check_int_list(value, where, key):
    _want(isinstance(value, list) and value and all(isinstance(v, int) and v >= 0 for v in value),
          where, "%s must be a non-empty list of non-negative integers" % key)


def _check_common(table, where):
    """Types of the keys configurations, tests and defaults share."""
    for key in ("timeout",):
        if key in table:
            _want(isinstance(table[key], (int, float)) and table[key] > 0, where,
                  "%s must be a positive number of seconds" % key)
    for key in ("max_cycles", "mem_latency", "exit", "repeat"):
        if key in table:
            _want(isinstance(table[key], int) and table[key] >= 0, where,
                  "%s must be a non-negative integer" % key)
    for key in ("bootargs", "expect_from", "name", "elf", "what"):
        if key in table:
            _want(isinstance(table[key], str), where, "%s must be a string" % key)
    if "args" in table:
        _want(isinstance(table["args"], list) and all(isinstance(a, str) for a in table["args"]),
              where, "args must be a list of strings")
    if "seeds" in table:
        _check_int_list(table["seeds"], where, "seeds")


def load(path):
    """Parses the list at path; returns (defaults, configs by name, tests)."""
    try:
        with open(path, "rb") as f:
            doc = tomllib.load(f)
    except FileNotFoundError:
        raise ListError("%s: no such list%s" % (path, known_lists(os.path.dirname(path))))
    except OSError as e:
        raise ListError("%s: %s" % (path, e.strerror))
    except tomllib.TOMLDecodeError as e:
        raise ListError("%s: not valid TOML: %s" % (path, e))

    unknown = set(doc) - {"defaults", "config", "test"}
    _want(not unknown, path, "unknown top-level key(s): %s" % ", ".join(sorted(unknown)))
    defaults = doc.get("defaults", {})
    _want(isinstance(defaults, dict), path, "[defaults] must be a table")
    bad = set(defaults) - DEFAULT_KEYS
    _want(not bad, path + " [defaults]", "unknown key(s): %s" % ", ".join(sorted(bad)))
    _check_common(defaults, path + " [defaults]")

    configs = {}
    for name, cfg in doc.get("config", {}).items():
        where = "%s [config.%s]" % (path, name)
        _want(isinstance(cfg, dict), where, "must be a table")
        _want(NAME_RE.match(name), where, "a configuration name uses only A-Z a-z 0-9 _ -")
        bad = set(cfg) - CONFIG_KEYS
        _want(not bad, where, "unknown key(s): %s" % ", ".join(sorted(bad)))
        _want(cfg.get("sim") in SIMS, where, "sim must be one of %s" % ", ".join(SIMS))
        _check_common(cfg, where)
        configs[name] = dict(cfg, name=name)
    _want(configs, path, "defines no [config.NAME]")

    tests = []
    entries = doc.get("test", [])
    _want(isinstance(entries, list) and entries, path, "has no [[test]] entries")
    for i, entry in enumerate(entries, 1):
        where = "%s [[test]] #%d%s" % (path, i, (" (%s)" % entry["elf"]) if "elf" in entry else "")
        bad = set(entry) - TEST_KEYS
        _want(not bad, where, "unknown key(s): %s" % ", ".join(sorted(bad)))
        _want("elf" in entry, where, "needs elf = \"path or glob\"")
        _check_common(entry, where)
        check = entry.get("check", "exit")
        _want(check in CHECKS, where, "check must be one of %s" % ", ".join(CHECKS))
        _want(check != "expect" or "expect_from" in entry, where,
              "check = \"expect\" needs expect_from = \"path with {name}\"")
        names = entry.get("configs")
        _want(isinstance(names, list) and names and all(isinstance(n, str) for n in names),
              where, "configs must be a non-empty list of configuration names")
        for n in names:
            _want(n in configs, where, "unknown configuration %r (defined: %s)"
                  % (n, ", ".join(sorted(configs))))
            _want(check != "qemu" or configs[n]["sim"] != "qemu", where,
                  "check = \"qemu\" compares a simulator with QEMU; configuration %r is QEMU" % n)
        _want(entry.get("repeat", 1) in (1, 2), where, "repeat must be 1 or 2")
        files = sorted(glob.glob(entry["elf"]))
        _want(files, where, "matches no file (make build makes the test programs)")
        _want("name" not in entry or len(files) == 1, where,
              "name is given but the glob matches %d files" % len(files))
        for elf in files:
            name = entry.get("name") or os.path.splitext(os.path.basename(elf))[0]
            _want(NAME_RE.match(name), where, "test name %r uses only A-Z a-z 0-9 _ -" % name)
            test = dict(entry, name=name, elf=elf, check=check, _defaults=defaults)
            if check == "expect":
                test["expect_from"] = entry["expect_from"].format(name=name)
            tests.append(test)
    return defaults, configs, tests


def expand(path, seeds=None):
    """All runs of the list at path, in list order; seeds (a list) replaces every test's seeds."""
    defaults, configs, tests = load(path)
    runs, seen = [], {}
    for test in tests:
        for cname in test["configs"]:
            config = configs[cname]
            for seed in seeds or test.get("seeds") or defaults.get("seeds") or [1]:
                run = Run(test, config, seed)
                if run.id in seen:
                    raise ListError("%s: run %s is listed twice (tests from %s and %s)"
                                    % (path, run.id, seen[run.id], test["elf"]))
                seen[run.id] = test["elf"]
                runs.append(run)
    return runs
