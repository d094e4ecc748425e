-- Every change to what mealbuddy's read caches hold is announced on the channel mealbuddy_cache,
-- whoever makes it (an API instance, a worker, psql), so every instance drops the stale entries:
--   p:<post id>:<address>  a post, its room or its members changed (the post's detail, its list)
--   u:<user id>            a user row changed (the guard's cached user)
--   w                      a user's name or email changed (shown as the writer of posts: all lists)
--   *                      a table was truncated (everything)
CREATE FUNCTION mealbuddy_cache_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('mealbuddy_cache', '*');
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = 'mealbuddy_posts' THEN
    IF TG_OP <> 'INSERT' THEN PERFORM pg_notify('mealbuddy_cache', 'p:' || OLD.id || ':' || OLD.address); END IF;
    IF TG_OP <> 'DELETE' THEN PERFORM pg_notify('mealbuddy_cache', 'p:' || NEW.id || ':' || NEW.address); END IF;
  ELSIF TG_TABLE_NAME = 'mealbuddy_chat_rooms' THEN
    FOR r IN SELECT p.id, p.address FROM mealbuddy_posts p
             WHERE p.id IN (CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.post_id END, CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.post_id END) LOOP
      PERFORM pg_notify('mealbuddy_cache', 'p:' || r.id || ':' || r.address);
    END LOOP;
  ELSIF TG_TABLE_NAME = 'mealbuddy_chat_joins' THEN
    FOR r IN SELECT p.id, p.address FROM mealbuddy_chat_rooms c JOIN mealbuddy_posts p ON p.id = c.post_id
             WHERE c.id IN (CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.room_id END, CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.room_id END) LOOP
      PERFORM pg_notify('mealbuddy_cache', 'p:' || r.id || ':' || r.address);
    END LOOP;
  ELSIF TG_TABLE_NAME = 'mealbuddy_users' THEN
    IF TG_OP = 'DELETE' THEN
      PERFORM pg_notify('mealbuddy_cache', 'u:' || OLD.id);
      PERFORM pg_notify('mealbuddy_cache', 'w');
    ELSIF TG_OP = 'UPDATE' THEN
      PERFORM pg_notify('mealbuddy_cache', 'u:' || NEW.id);
      IF NEW.username IS DISTINCT FROM OLD.username OR NEW.email IS DISTINCT FROM OLD.email THEN
        PERFORM pg_notify('mealbuddy_cache', 'w');
      END IF;
    END IF;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER mealbuddy_posts_cache AFTER INSERT OR UPDATE OR DELETE ON mealbuddy_posts FOR EACH ROW EXECUTE FUNCTION mealbuddy_cache_notify();
--> statement-breakpoint
CREATE TRIGGER mealbuddy_chat_rooms_cache AFTER INSERT OR UPDATE OR DELETE ON mealbuddy_chat_rooms FOR EACH ROW EXECUTE FUNCTION mealbuddy_cache_notify();
--> statement-breakpoint
CREATE TRIGGER mealbuddy_chat_joins_cache AFTER INSERT OR UPDATE OR DELETE ON mealbuddy_chat_joins FOR EACH ROW EXECUTE FUNCTION mealbuddy_cache_notify();
--> statement-breakpoint
CREATE TRIGGER mealbuddy_users_cache AFTER UPDATE OR DELETE ON mealbuddy_users FOR EACH ROW EXECUTE FUNCTION mealbuddy_cache_notify();
--> statement-breakpoint
CREATE TRIGGER mealbuddy_posts_truncate AFTER TRUNCATE ON mealbuddy_posts FOR EACH STATEMENT EXECUTE FUNCTION mealbuddy_cache_notify();
--> statement-breakpoint
CREATE TRIGGER mealbuddy_users_truncate AFTER TRUNCATE ON mealbuddy_users FOR EACH STATEMENT EXECUTE FUNCTION mealbuddy_cache_notify();
--> statement-breakpoint
CREATE TRIGGER mealbuddy_chat_joins_truncate AFTER TRUNCATE ON mealbuddy_chat_joins FOR EACH STATEMENT EXECUTE FUNCTION mealbuddy_cache_notify();
