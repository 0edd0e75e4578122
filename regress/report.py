"""report.py: the regression's summary table and its JUnit XML (regress/out/junit.xml)."""

import os
import xml.etree.ElementTree as ET

DETAIL_LINES = 8   # lines of a failure's console tail or diff shown under it


def summary(results, not_run, out=print):
    """The table (test, config, seed, result, cycles, wall time), then one reproduce line per
    failure, then what did not run. Returns (passed, failed)."""
    rows = [("test", "config", "seed", "result", "cycles", "wall")]
    for r in results:
        rows.append((r.run.test["name"], r.run.config["name"], str(r.run.seed), r.status,
                     "-" if r.cycles is None else str(r.cycles), "%.2fs" % r.secs))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        out("  " + "  ".join(c.rjust(w) if i in (2, 4, 5) else c.ljust(w)
                             for i, (c, w) in enumerate(zip(row, widths))).rstrip())
    failures = [r for r in results if r.status != "PASS"]
    for r in failures:
        out("%s %s: %s" % (r.status, r.run.id, r.reason))
        out("    log: %s" % os.path.join(r.run.out_dir, "log.txt"))
        out("    reproduce: %s" % r.reproduce)
        for line in r.detail.splitlines()[:DETAIL_LINES]:
            out("    | " + line)
        if r.waves:
            for line in r.waves:
                out("    " + line)
    if not_run:
        out("did not run (%d): %s" % (len(not_run), " ".join(run.id for run in not_run)))
    return len(results) - len(failures), len(failures)


def junit(path, list_name, results, not_run, seeds):
    """One <testsuite> per list; a failure carries its reason, log and reproduce line, a run
    that did not happen is <skipped>."""
    suites = ET.Element("testsuites")
    suite = ET.SubElement(suites, "testsuite", name="regress." + list_name)
    ET.SubElement(ET.SubElement(suite, "properties"), "property", name="seeds",
                  value=" ".join(str(s) for s in seeds) if seeds else "from the list")
    failures = 0
    for r in results:
        case = ET.SubElement(suite, "testcase", classname="%s.%s" % (list_name, r.run.config["name"]),
                             name="%s.%d" % (r.run.test["name"], r.run.seed), time="%.3f" % r.secs)
        props = ET.SubElement(case, "properties")
        for k, v in (("elf", r.run.test["elf"]), ("seed", str(r.run.seed)),
                     ("cycles", "" if r.cycles is None else str(r.cycles)),
                     ("dir", r.run.out_dir)):
            ET.SubElement(props, "property", name=k, value=v)
        if r.status != "PASS":
            failures += 1
            node = ET.SubElement(case, "failure", message="%s: %s" % (r.status, r.reason),
                                 type=r.status)
            node.text = "reproduce: %s\nlog: %s\n%s" % (
                r.reproduce, os.path.join(r.run.out_dir, "log.txt"), r.detail)
            if r.waves:
                node.text += "\n" + "\n".join(r.waves)
    for run in not_run:
        case = ET.SubElement(suite, "testcase", classname="%s.%s" % (list_name, run.config["name"]),
                             name="%s.%d" % (run.test["name"], run.seed), time="0")
        ET.SubElement(case, "skipped", message="did not run: the regression was interrupted")
    suite.set("tests", str(len(results) + len(not_run)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(len(not_run)))
    suite.set("time", "%.3f" % sum(r.secs for r in results))
    ET.indent(suites)
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)
