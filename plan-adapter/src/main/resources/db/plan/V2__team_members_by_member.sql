-- A member's teams are read by member (GET /v1/plan/me, the projection's default team): without this index every
-- such read scanned all of team_members (the primary key leads with team_id). Found by the benchmark harness: with
-- 40,000 people, /v1/plan/me answered about 1,600 requests/s against Track's 9,500.
CREATE INDEX team_members_by_member ON team_members (member_id);
