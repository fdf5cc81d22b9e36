"""Tables shaped for display in the notebooks (bilingual column names), one module per question."""
