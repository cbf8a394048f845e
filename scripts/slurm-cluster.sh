#!/usr/bin/env bash
# A throwaway single-node Slurm cluster on this machine, from Debian's packages: sourced by
# scripts/slurm-ci.sh (CI's check) and scripts/sweep-scale.sh (the scale measurement).
# `cluster_start` installs slurm-wlm and munge if missing, then starts munged, slurmctld and
# slurmd with a generated configuration in a folder of their own (their own key, socket,
# state and free ports: nothing of the host's is read or changed), and waits until the
# node is idle; the exit trap it sets stops exactly the daemons it started (by their pid
# files) and removes the folder. proctrack/linuxproc and task/none: no cgroups needed.
#
# Needs root (slurmd starts each job as its user). SLURM_CI_TIMEOUT (seconds, default
# 300) bounds each wait; SLURM_CI_KEEP=1 keeps the folder and its logs. After
# `cluster_start`: $work is the folder (jobs' logs go to $work/job), SLURM_CONF is
# exported, `fail` stops with a reason and the daemons' and jobs' last log lines, and
# `wait_for` polls a command.

timeout_s=${SLURM_CI_TIMEOUT:-300}
work=""

say() { echo "== slurm: $*"; }

fail() {
    echo "slurm: FAILED: $*" >&2
    if [ -n "$work" ]; then
        for log in "$work"/log/* "$work"/job/*; do
            [ -f "$log" ] || continue
            echo "---- last lines of $log" >&2
            tail -n 25 "$log" >&2
        done
    fi
    exit 1
}

# Waits up to the timeout for a command to succeed; `what` says what for.
wait_for() {
    local what=$1
    shift
    local until=$(($(date +%s) + timeout_s))
    until "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -lt "$until" ] || fail "timed out after ${timeout_s} s waiting for $what"
        sleep 0.5
    done
}

# Stops only what cluster_start started (by the pid files it named), then tidies up.
cluster_stop() {
    local code=$?
    [ -n "$work" ] || return $code
    local pidfile
    for pidfile in "$work/slurmd.pid" "$work/slurmctld.pid" "$work/munge/munged.pid"; do
        [ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
    done
    sleep 1
    for pidfile in "$work/slurmd.pid" "$work/slurmctld.pid" "$work/munge/munged.pid"; do
        [ -s "$pidfile" ] && kill -9 "$(cat "$pidfile")" 2>/dev/null
    done
    if [ "${SLURM_CI_KEEP:-0}" = 1 ] || [ "$code" -ne 0 ]; then
        echo "slurm: logs and parts kept in $work" >&2
    else
        rm -rf "$work"
    fi
    return $code
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Extra lines for slurm.conf may be given as arguments (one setting each).
cluster_start() {
    [ "$(id -u)" = 0 ] || fail "needs root: slurmd starts each job as its user"
    if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
        say "installing slurm-wlm and munge (Debian packages)"
        export DEBIAN_FRONTEND=noninteractive
        { timeout "$timeout_s" apt-get install -y -qq slurm-wlm munge >/dev/null 2>&1 ||
            { timeout "$timeout_s" apt-get update -qq &&
                timeout "$timeout_s" apt-get install -y -qq slurm-wlm munge >/dev/null; }; } ||
            fail "cannot install slurm-wlm and munge with apt-get"
    fi
    say "$(slurmctld -V), $(munged -V 2>&1 | head -n 1)"
    work=$(mktemp -d /tmp/attrition-slurm.XXXXXX)
    trap cluster_stop EXIT
    chmod 755 "$work"
    mkdir -p "$work/log" "$work/state" "$work/spool" "$work/munge" "$work/job"

    local socket="$work/munge/munge.socket"
    dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
    chmod 400 "$work/munge/munge.key"
    munged --force --socket="$socket" --key-file="$work/munge/munge.key" \
        --pid-file="$work/munge/munged.pid" --log-file="$work/log/munged.log" \
        --seed-file="$work/munge/munged.seed" ||
        fail "munged did not start"
    wait_for "munged's credentials" sh -c "munge -S '$socket' -n | unmunge -S '$socket'"

    local host ctld_port slurmd_port cpus
    host=$(hostname -s)
    ctld_port=$(free_port)
    slurmd_port=$(free_port)
    cpus=$(nproc)
    export SLURM_CONF="$work/slurm.conf"
    cat >"$SLURM_CONF" <<EOF
ClusterName=attrition-ci
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
    local line
    for line in "$@"; do
        echo "$line" >>"$SLURM_CONF"
    done
    say "slurmctld (port $ctld_port) and slurmd (port $slurmd_port) on $host, $cpus CPUs"
    slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
    slurmd -f "$SLURM_CONF" || fail "slurmd did not start"
    wait_for "the node to be idle" sh -c "sinfo -h -N -o '%T' | grep -qx idle"
}
