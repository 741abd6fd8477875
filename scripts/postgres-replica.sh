#!/usr/bin/env bash
# A PostgreSQL primary with a streaming replica, as docs/deploy.md describes, in throwaway folders
# (scripts/postgres-replica.test.ts runs it; on real hosts the same steps run on two machines).
#
#   scripts/postgres-replica.sh start DIR PRIMARY_PORT STANDBY_PORT   prints the two URLs
#   scripts/postgres-replica.sh promote DIR                           the standby becomes the primary
#   scripts/postgres-replica.sh stop DIR [primary|standby]            fast shutdown (both by default)
#   scripts/postgres-replica.sh crash DIR primary                     immediate shutdown (a power cut)
#
# Root cannot run postgres: the clusters belong to the postgres user (as scripts/test-postgres.sh).
set -euo pipefail

bin=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/pg_ctl" ] && bin=$d; done
[ -n "$bin" ] || { echo "PostgreSQL is not installed (apt-get install -y postgresql)" >&2; exit 1; }
run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }

cmd=${1:?start, promote, stop or crash}
DIR=${2:?a folder for the two clusters}
SOCKETS=$DIR

case "$cmd" in
  start)
    PRIMARY_PORT=${3:?primary port}
    STANDBY_PORT=${4:?standby port}
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$DIR"
    # 1. The primary: WAL for a replica, a replication role allowed in pg_hba.conf. (A real primary
    #    listens on its network address with scram-sha-256 passwords and TLS; trust on a socket here.)
    run "$bin/initdb -D $DIR/primary -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8" >&2
    cat >>"$DIR/primary/postgresql.conf" <<CONF
wal_level = replica
max_wal_senders = 5
wal_keep_size = 256MB
hot_standby = on
CONF
    echo "local replication replicator trust" >>"$DIR/primary/pg_hba.conf"
    run "$bin/pg_ctl -D $DIR/primary -l $DIR/primary.log -o '-k $SOCKETS -p $PRIMARY_PORT -c listen_addresses=' -w start" >&2
    run "$bin/psql -h $SOCKETS -p $PRIMARY_PORT -U postgres -qc \"CREATE ROLE replicator WITH REPLICATION LOGIN\"" >&2
    # 2. The standby: a base backup streamed from the primary; -R writes standby.signal and
    #    primary_conninfo, so it starts as a hot standby replaying the primary's WAL as it comes.
    run "$bin/pg_basebackup -d 'host=$SOCKETS port=$PRIMARY_PORT user=replicator application_name=standby1' -D $DIR/standby -R -X stream -c fast" >&2
    run "$bin/pg_ctl -D $DIR/standby -l $DIR/standby.log -o '-k $SOCKETS -p $STANDBY_PORT -c listen_addresses=' -w start" >&2
    # 3. Synchronous from now on: a commit (a push answered "accepted") waits until the standby has
    #    it, so a failover loses nothing the phones were told was kept. (Set only once the standby
    #    is there: with it named and away, the primary's commits wait. Production runs two standbys,
    #    synchronous_standby_names = 'ANY 1 (standby1, standby2)', so one can be down.)
    run "$bin/psql -h $SOCKETS -p $PRIMARY_PORT -U postgres -qc \"ALTER SYSTEM SET synchronous_standby_names = 'standby1'\" -c 'SELECT pg_reload_conf()'" >/dev/null
    enc=$(printf '%s' "$SOCKETS" | sed 's#/#%2F#g')
    echo "postgres://postgres@$enc:$PRIMARY_PORT/postgres"
    echo "postgres://postgres@$enc:$STANDBY_PORT/postgres"
    ;;
  promote)
    # 4. Failover: the standby stops replaying and accepts writes (the old primary must not come
    #    back as a primary: rebuild it as the new standby with pg_basebackup, or pg_rewind).
    run "$bin/pg_ctl -D $DIR/standby -w promote" >&2
    ;;
  stop | crash)
    mode=fast; [ "$cmd" = crash ] && mode=immediate
    for c in ${3:-primary standby}; do
      [ -f "$DIR/$c/PG_VERSION" ] && { run "$bin/pg_ctl -D $DIR/$c -m $mode stop" >&2 || true; }
    done
    ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
