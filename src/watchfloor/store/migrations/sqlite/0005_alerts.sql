-- Alerts that fired, with their evidence and how each channel took them. The newest row per
-- (rule, theatre) is the cool-down state: a rule does not fire again for a theatre until its
-- cool-down has passed since fired_at.

CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    rule TEXT NOT NULL,            -- the rule's name in the rules file
    theatre TEXT NOT NULL,         -- ISO 3166 alpha-2
    day TEXT NOT NULL,             -- the day the figures are about
    fired_at TEXT NOT NULL,        -- UTC: the moment evaluated (cool-down counts from here)
    metric TEXT NOT NULL,
    category TEXT NOT NULL,        -- taxonomy key or 'any'
    value REAL NOT NULL,
    threshold REAL NOT NULL,
    payload TEXT NOT NULL,         -- the alert as JSON: figures, outlets, evidence
    deliveries TEXT NOT NULL       -- JSON array: per channel, whether it went out and why not
);
CREATE INDEX alerts_by_rule_theatre ON alerts (rule, theatre, fired_at);
CREATE INDEX alerts_by_fired_at ON alerts (fired_at);
