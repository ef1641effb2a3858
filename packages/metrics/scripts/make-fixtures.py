#!/usr/bin/python3
"""Writes packages/metrics/fixtures/sklearn.json: scikit-learn's values on fixed inputs.

Run with /usr/bin/python3 (scikit-learn 1.2, numpy) from anywhere:
    /usr/bin/python3 packages/metrics/scripts/make-fixtures.py
The output is committed; the TypeScript tests read it (CI does not run Python).
Options are written in @tsdl/metrics spelling (camelCase) next to the scikit-learn call they mirror.
"""
import json
import os

import numpy as np
import sklearn
from sklearn import metrics as M

rng = np.random.default_rng(20240501)
out = {
    "generator": f"scripts/make-fixtures.py, scikit-learn {sklearn.__version__}, numpy {np.__version__}",
    "classification": [],
    "rocAuc": [],
    "regression": [],
    "ranking": [],
}


def listify(x):
    return np.asarray(x).tolist()


def num(x):
    x = np.asarray(x, dtype=np.float64)
    return x.tolist() if x.ndim else float(x)


# ---- classification -------------------------------------------------------------------------
# Multi-class: class 2 is never predicted (precision 0/0), class 3 is predicted but absent from y_true
# (recall 0/0); labels [0..4] adds a class 4 absent from both.
MC_TRUE = [0, 1, 2, 0, 1, 2, 0, 1, 1, 0, 2, 1]
MC_PRED = [0, 2, 1, 0, 0, 1, 0, 1, 3, 1, 0, 1]
BIN_TRUE = [0, 1, 1, 0, 1, 1, 0, 0, 1, 0]
BIN_PRED = [0, 1, 0, 0, 1, 1, 1, 0, 1, 1]
SK_FN = {"precision": M.precision_score, "recall": M.recall_score, "f1": M.f1_score}


def add_prf(name, fn, y_true, y_pred, options):
    kw = {}
    if "average" in options:
        kw["average"] = None if options["average"] == "none" else options["average"]
    if "labels" in options:
        kw["labels"] = options["labels"]
    if "posLabel" in options:
        kw["pos_label"] = options["posLabel"]
    kw["zero_division"] = options.get("zeroDivision", 0)
    expected = SK_FN[fn](y_true, y_pred, **kw)
    out["classification"].append(
        {"name": name, "fn": fn, "yTrue": y_true, "yPred": y_pred, "options": options, "expected": num(expected), "sklearn": repr(kw)}
    )


for fn in SK_FN:
    for average in ["micro", "macro", "weighted", "none"]:
        for zd in [0, 1]:
            add_prf(f"multi-class {average} zeroDivision={zd}", fn, MC_TRUE, MC_PRED, {"average": average, "zeroDivision": zd})
            add_prf(f"multi-class {average} labels=[0,1,2] zeroDivision={zd}", fn, MC_TRUE, MC_PRED,
                    {"average": average, "labels": [0, 1, 2], "zeroDivision": zd})
            add_prf(f"multi-class {average} labels=[4,3,2,1,0] zeroDivision={zd}", fn, MC_TRUE, MC_PRED,
                    {"average": average, "labels": [4, 3, 2, 1, 0], "zeroDivision": zd})
        # weighted with zero total support: only labels that never occur in y_true
        add_prf(f"multi-class {average} labels=[4] (no support)", fn, MC_TRUE, MC_PRED, {"average": average, "labels": [4], "zeroDivision": 1})
        add_prf(f"multi-class {average} labels=[3] (predicted, no support)", fn, MC_TRUE, MC_PRED,
                {"average": average, "labels": [3], "zeroDivision": 1})
    add_prf("binary default", fn, BIN_TRUE, BIN_PRED, {})
    add_prf("binary posLabel=0", fn, BIN_TRUE, BIN_PRED, {"average": "binary", "posLabel": 0})
    add_prf("binary labels {-1,1}", fn, [2 * v - 1 for v in BIN_TRUE], [2 * v - 1 for v in BIN_PRED], {})
    for zd in [0, 1]:
        add_prf(f"binary nothing predicted positive zeroDivision={zd}", fn, BIN_TRUE, [0] * len(BIN_TRUE), {"zeroDivision": zd})
        add_prf(f"binary no positive in either zeroDivision={zd}", fn, [0, 0, 0], [0, 0, 0], {"zeroDivision": zd})
    for average in ["micro", "macro", "weighted", "none"]:
        add_prf(f"binary average={average}", fn, BIN_TRUE, BIN_PRED, {"average": average})

for name, yt, yp in [("multi-class", MC_TRUE, MC_PRED), ("binary", BIN_TRUE, BIN_PRED)]:
    out["classification"].append({"name": f"accuracy {name}", "fn": "accuracy", "yTrue": yt, "yPred": yp, "options": {},
                                  "expected": num(M.accuracy_score(yt, yp))})
    out["classification"].append({"name": f"accuracy {name} normalize=false", "fn": "accuracy", "yTrue": yt, "yPred": yp,
                                  "options": {"normalize": False}, "expected": num(M.accuracy_score(yt, yp, normalize=False))})
for name, options in [("default labels", {}), ("labels=[2,0,1]", {"labels": [2, 0, 1]}), ("labels=[0,1,2,3,4]", {"labels": [0, 1, 2, 3, 4]}),
                      ("labels=[1,3]", {"labels": [1, 3]})]:
    cm = M.confusion_matrix(MC_TRUE, MC_PRED, labels=options.get("labels"))
    out["classification"].append({"name": f"confusionMatrix {name}", "fn": "confusionMatrix", "yTrue": MC_TRUE, "yPred": MC_PRED,
                                  "options": options, "expected": listify(cm)})

# ---- ROC AUC ----------------------------------------------------------------------------------


def add_auc(name, y_true, y_score, options):
    kw = {}
    if np.asarray(y_score).ndim == 2:
        kw["multi_class"] = "ovr"
        kw["average"] = None if options.get("average") == "none" else options.get("average", "macro")
        if "labels" in options:
            kw["labels"] = options["labels"]
    expected = M.roc_auc_score(y_true, y_score, **kw)
    out["rocAuc"].append({"name": name, "yTrue": listify(y_true), "yScore": listify(y_score), "options": options,
                          "expected": num(expected), "sklearn": repr(kw)})


add_auc("binary with ties", [0, 0, 1, 1, 0, 1, 0, 1, 1, 0], [0.1, 0.4, 0.35, 0.8, 0.4, 0.35, 0.1, 0.9, 0.35, 0.6], {})
add_auc("binary all-equal scores", [0, 1, 0, 1, 1], [0.3] * 5, {})
add_auc("binary labels {2,5} (5 is positive)", [5, 2, 2, 5, 2, 5], [0.9, 0.2, 0.6, 0.6, 0.1, 0.3], {})
yb = rng.integers(0, 2, 200)
add_auc("binary n=200 heavy ties", yb, np.round(np.clip(yb * 0.3 + rng.random(200) * 0.7, 0, 1), 1), {})
add_auc("binary n=200 distinct", yb, yb * 0.5 + rng.standard_normal(200), {})
add_auc("binary perfectly inverted", [1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9], {})

# OvR: rows are probabilities (scikit-learn insists); prototypes make many ties.
protos = np.array([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.1, 0.2, 0.7], [0.4, 0.4, 0.2], [0.25, 0.25, 0.5]])
y3 = np.array([0, 1, 2, 0, 0, 1, 2, 2, 0, 1, 0, 0, 2, 1, 0, 2])
s3 = protos[rng.integers(0, len(protos), len(y3))]
y4 = rng.choice(4, 60, p=[0.5, 0.25, 0.15, 0.1])
s4 = rng.dirichlet([1, 1, 1, 1], 60)
s4 = s4 + np.eye(4)[y4] * 0.3
s4 = s4 / s4.sum(axis=1, keepdims=True)
for average in ["macro", "weighted", "micro", "none"]:
    add_auc(f"ovr 3 classes ties {average}", y3, s3, {"multiClass": "ovr", "average": average})
    add_auc(f"ovr 4 classes imbalanced {average}", y4, s4, {"multiClass": "ovr", "average": average})
add_auc("ovr labels {1,4,9}", np.array([1, 4, 9, 9])[y3], s3, {"multiClass": "ovr", "average": "weighted", "labels": [1, 4, 9]})

# ---- regression -------------------------------------------------------------------------------
REG = {"mae": M.mean_absolute_error, "mse": M.mean_squared_error, "mape": M.mean_absolute_percentage_error, "r2": M.r2_score}


def add_reg(name, fn, y_true, y_pred, options=None):
    options = options or {}
    kw = dict(options)
    if fn == "rmse":
        expected = M.mean_squared_error(y_true, y_pred, squared=False, **kw)
    else:
        if "forceFinite" in kw:
            kw["force_finite"] = kw.pop("forceFinite")
        expected = REG[fn](y_true, y_pred, **kw)
    out["regression"].append({"name": name, "fn": fn, "yTrue": listify(y_true), "yPred": listify(y_pred), "options": options,
                              "expected": num(expected)})


r_true = [3, -0.5, 2, 7, 4.2]
r_pred = [2.5, 0.0, 2, 8, 3.9]
rt = rng.standard_normal(50) * 3 + 1
rp = rt + rng.standard_normal(50) * 0.7
m_true = rng.standard_normal((6, 2)) * [1, 10]
m_pred = m_true + rng.standard_normal((6, 2))
for fn in ["mae", "mse", "rmse", "mape", "r2"]:
    add_reg(f"{fn} small", fn, r_true, r_pred)
    add_reg(f"{fn} n=50", fn, rt, rp)
    for mo in ["raw_values", "uniform_average"]:
        add_reg(f"{fn} 2 outputs {mo}", fn, m_true, m_pred, {"multioutput": mo})
add_reg("mape zero target", "mape", [0, 1, 2], [0.1, 1.1, 1.8])
add_reg("mape zero target predicted exactly", "mape", [0, 1, 2], [0, 1.1, 1.8])
add_reg("r2 constant target, perfect", "r2", [2, 2, 2, 2], [2, 2, 2, 2])
add_reg("r2 constant target, imperfect", "r2", [2, 2, 2, 2], [2, 2, 3, 2])
add_reg("r2 perfect", "r2", r_true, r_true)
add_reg("r2 worse than mean", "r2", [1, 2, 3], [3, 2, 1])
add_reg("r2 2 outputs variance_weighted", "r2", m_true, m_pred, {"multioutput": "variance_weighted"})
add_reg("r2 one constant output raw_values", "r2", np.c_[m_true[:, 0], np.full(6, 5.0)], np.c_[m_pred[:, 0], np.full(6, 5.5)],
        {"multioutput": "raw_values"})

# ---- ranking (ndcg_score; precision/recall@k have no scikit-learn function: plain-Python reference) ----


def add_ranking(name, gains, scores, graded):
    n_users, n_items = gains.shape
    ranked = [listify(np.argsort(-scores[u], kind="stable")) for u in range(n_users)]
    if graded:
        relevant = [{str(i): float(g) for i, g in enumerate(gains[u])} for u in range(n_users)]
    else:
        relevant = [[int(i) for i in np.flatnonzero(gains[u])] for u in range(n_users)]
    for k in [1, 3, 5, n_items]:
        case = {"name": f"{name} k={k}", "k": k, "relevant": relevant, "ranked": ranked,
                "ndcg": num(M.ndcg_score(gains, scores, k=k)),
                "ndcgPerUser": [num(M.ndcg_score(gains[u:u + 1], scores[u:u + 1], k=k)) for u in range(n_users)]}
        if not graded:
            hits = [len(set(ranked[u][:k]) & set(relevant[u])) for u in range(n_users)]
            case["precisionPerUser"] = [h / k for h in hits]
            case["recallPerUser"] = [h / len(relevant[u]) if relevant[u] else 0.0 for h, u in zip(hits, range(n_users))]
        out["ranking"].append(case)


g = rng.integers(0, 4, (4, 8)).astype(float)
g[3] = 0  # a user with no relevant item: ndcg_score counts it as 0
sc = rng.permutation(32).reshape(4, 8).astype(float)  # distinct scores: no tie averaging
add_ranking("graded", g, sc, graded=True)
b = (rng.random((5, 10)) < 0.35).astype(float)
b[0, :] = 0
b[1, 0] = 1
add_ranking("binary", b, rng.permutation(50).reshape(5, 10).astype(float), graded=False)

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "sklearn.json")
with open(path, "w") as f:
    # one case per line: small diffs, still readable
    f.write("{\n" + f' "generator": {json.dumps(out["generator"])}')
    for key, cases in out.items():
        if isinstance(cases, list):
            f.write(f',\n {json.dumps(key)}: [\n  ' + ",\n  ".join(json.dumps(c, allow_nan=False) for c in cases) + "\n ]")
    f.write("\n}\n")
print(f"wrote {os.path.normpath(path)}: " + ", ".join(f"{k} {len(v)}" for k, v in out.items() if isinstance(v, list)))
