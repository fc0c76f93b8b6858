-- Stacking and recognition of prior learning (issue #7): the decisions a receiving organisation records
-- on an evaluation. Nothing is awarded here; the evaluation the decision was taken on is kept as JSON.
CREATE TABLE stacking_decisions (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    qualification_id TEXT NOT NULL,
    learner TEXT NOT NULL,
    -- awarded, refused or deferred
    outcome TEXT NOT NULL,
    -- JSON array of strings.
    reasons TEXT NOT NULL,
    -- The evaluation (microcred-stacking's Evaluation JSON).
    evaluation TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX stacking_decisions_organisation ON stacking_decisions (organisation_id, decided_at);
CREATE INDEX stacking_decisions_learner ON stacking_decisions (learner);
