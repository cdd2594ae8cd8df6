"""Training-time classifiers that scikit-learn does not ship. Imported only
when a model is fitted: a saved model is reduced to arrays (engine), so a
process that only answers never imports this module or scikit-learn."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.svm import LinearSVC


class NBLinearSVC(ClassifierMixin, BaseEstimator):
    """NB-SVM (Wang & Manning, 2012): one linear SVM per class (one against
    the rest) on the features scaled by that class's naive-Bayes log-count
    ratio. The scaling is folded into the weights after fitting, so the
    fitted model is a plain linear model (`coef_`, `intercept_`)."""

    def __init__(self, C: float = 0.5, alpha: float = 1.0, class_weight: Any = "balanced") -> None:
        self.C = C
        self.alpha = alpha
        self.class_weight = class_weight

    def _ratio(self, present: Any, mask: Any) -> Any:
        p = np.asarray(present[mask].sum(axis=0)).ravel() + self.alpha
        q = np.asarray(present[~mask].sum(axis=0)).ravel() + self.alpha
        return np.log((p / p.sum()) / (q / q.sum())).astype(np.float32)

    def fit(self, X: Any, y: Any) -> NBLinearSVC:
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        present = (X > 0).astype(np.float32).tocsr()
        # Two classes: one SVM for the second class, as scikit-learn does.
        targets = self.classes_[1:] if len(self.classes_) == 2 else self.classes_
        coefs, intercepts = [], []
        for c in targets:
            mask = y == c
            r = self._ratio(present, mask)
            svc = LinearSVC(C=self.C, class_weight=self.class_weight).fit(X.multiply(r).tocsr(), mask)
            coefs.append(svc.coef_.ravel() * r)
            intercepts.append(float(svc.intercept_[0]))
        self.coef_ = np.vstack(coefs)
        self.intercept_ = np.array(intercepts)
        return self

    def decision_function(self, X: Any) -> Any:
        scores = np.asarray(X @ self.coef_.T) + self.intercept_
        return scores.ravel() if len(self.classes_) == 2 else scores

    def predict(self, X: Any) -> Any:
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(int)]
        return self.classes_[scores.argmax(axis=1)]
