-- PostgreSQL counterpart of 018-consent-in-push.sql (consent travels in the push): the same columns;
-- the sequence trigger as device_sequence() (decision 081).
ALTER TABLE consents ADD COLUMN device_id TEXT;
ALTER TABLE consents ADD COLUMN seq BIGINT;

CREATE TRIGGER consents_sequence AFTER INSERT ON consents FOR EACH ROW WHEN (NEW.device_id IS NOT NULL) EXECUTE FUNCTION device_sequence();
