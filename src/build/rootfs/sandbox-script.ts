/**
 * The in-namespace supervisor for RUN steps, written in Perl because perl-base is Essential on every Debian/Ubuntu
 * system (GitHub-hosted runners included) and, unlike Node, can chroot/pivot_root, set supplementary groups and
 * drop capabilities in the process that then execs the build command.
 *
 * It runs as pid 1 of a fresh mount+pid+ipc+uts namespace (created by util-linux `unshare`) and:
 *   1. mounts the step's overlay (nodev) and the build's mounts (proc, sys, a minimal nodev /dev, resolv.conf,
 *      hosts, cache/secret/bind/tmpfs mounts), creating mountpoint stubs it records;
 *   2. forks the command: a nested mount namespace, pivot_root into the overlay with the host root detached (so a
 *      root RUN step cannot chroot its way out), user/groups resolved from the image's /etc/passwd and /etc/group,
 *      capabilities cut to Docker's default set, then exec;
 *   3. kills whatever the command left running, unmounts, removes the stubs it created (so nothing from the build's
 *      mounts reaches the layer) and writes the outcome to a status file.
 * The spec file is a list of NUL-terminated tokens: `KIND ARGS…` records with a fixed arity per kind.
 *
 * Keep this text free of the JavaScript template-literal interpolation marker (dollar + brace).
 */
export const sandboxScript = String.raw`
use strict;
use warnings;
use POSIX qw(:sys_wait_h);
use Config;

my %SYS = (
  'x86_64'  => { unshare => 272, pivot_root => 155, umount2 => 166, prctl => 157, mount => 165, sethostname => 170 },
  'aarch64' => { unshare => 97,  pivot_root => 41,  umount2 => 39,  prctl => 167, mount => 40, sethostname => 161 },
);
my ($arch) = split /-/, $Config{archname};
my $sys = $SYS{$arch};

# Keep the command from reading this process's memory or its host root through /proc/1.
syscall($sys->{prctl}, 4, 0, 0, 0, 0) if $sys;

my $specfile = shift @ARGV;
open(my $sf, '<', $specfile) or die "image-build sandbox: cannot read spec: $!\n";
my @tok = do { local $/ = "\0"; map { chomp; $_ } <$sf> };
close $sf;

my (%root, @mounts, @exec, $statusfile, $envfile, $hostname, $lo, @caps, $userxattr);
my %arity = (root => 5, proc => 0, sys => 0, dev => 0, bind => 4, tmpfs => 2, overlay => 6,
  hostname => 1, lo => 0, status => 1, envfile => 1, caps => 1, userxattr => 0);
while (@tok) {
  my $kind = shift @tok;
  if ($kind eq 'exec') { @exec = @tok; last; }
  die "image-build sandbox: bad spec token '$kind'\n" unless exists $arity{$kind};
  my @a = splice(@tok, 0, $arity{$kind});
  if ($kind eq 'root') { @root{qw(merged lowercwd lowers upper work)} = @a; }
  elsif ($kind eq 'status') { $statusfile = $a[0]; }
  elsif ($kind eq 'envfile') { $envfile = $a[0]; }
  elsif ($kind eq 'hostname') { $hostname = $a[0]; }
  elsif ($kind eq 'lo') { $lo = 1; }
  elsif ($kind eq 'userxattr') { $userxattr = 1; }
  elsif ($kind eq 'caps') { @caps = split /,/, $a[0]; }
  else { push @mounts, [$kind, @a]; }
}

sub finish {
  my ($msg) = @_;
  if (defined $statusfile && open(my $st, '>', $statusfile)) { print $st $msg; close $st; }
  exit 0;
}
sub fail { finish("error " . join('', @_)); }
sub run { my @c = @_; system(@c) == 0 or fail("'@c' failed"); }

# Resolves a path inside the rootfs without ever leaving it: symlinks are followed relative to the rootfs root,
# '..' stops at the root. Returns the host path; missing components are appended literally.
sub resolve_in_root {
  my ($rootdir, $path, $follow_last) = @_;
  my @todo = grep { $_ ne '' && $_ ne '.' } split m{/}, $path;
  my @done;
  my $hops = 0;
  while (@todo) {
    my $c = shift @todo;
    if ($c eq '..') { pop @done; next; }
    my $host = join('/', $rootdir, @done, $c);
    if (-l $host && (@todo || $follow_last)) {
      fail("too many levels of symbolic links in $path") if ++$hops > 40;
      my $t = readlink($host);
      @done = () if $t =~ m{^/};
      unshift @todo, grep { $_ ne '' && $_ ne '.' } split m{/}, $t;
      next;
    }
    push @done, $c;
  }
  return join('/', $rootdir, @done);
}

my @stubs;    # [host path, 'file'|'dir'] created here, removed after the run when still empty
my %times;    # existing directories a stub was created in => a reference file holding their times
sub remember_times {
  my ($dir) = @_;
  return if exists $times{$dir};
  my $ref = "$specfile.t" . scalar(keys %times);
  run('touch', '-r', $dir, $ref);
  $times{$dir} = $ref;
}
# $keep: the directory stays in the layer (runc's /proc, /sys and /dev mountpoints, which BuildKit keeps when
# the image lacks them: moby/buildkit#3455); otherwise it is a stub removed after the run.
sub ensure_dir {
  my ($host, $keep) = @_;
  return if -d $host;
  my @parts = split m{/}, substr($host, length($root{merged}));
  my $p = $root{merged};
  for my $c (grep { $_ ne '' } @parts) {
    my $parent = $p;
    $p .= "/$c";
    next if -d $p;
    fail("mountpoint parent $p exists and is not a directory") if -e $p || -l $p;
    remember_times($parent) unless $keep;
    mkdir($p, 0755) or fail("mkdir $p: $!");
    push @stubs, [$p, 'dir'] unless $keep;
  }
}
sub ensure_target {
  my ($target, $isfile, $keep) = @_;
  my $host = resolve_in_root($root{merged}, $target, 1);
  if ($isfile) {
    my ($dir) = $host =~ m{^(.*)/[^/]+$};
    ensure_dir($dir);
    if (!-e $host) {
      remember_times($dir);
      open(my $f, '>', $host) or fail("create mountpoint $target: $!");
      close $f;
      push @stubs, [$host, 'file'];
    }
  } else {
    ensure_dir($host, $keep);
  }
  return $host;
}

my @mounted;  # host paths, unmounted in reverse order

# mount(8)-style arguments (-t TYPE, -o OPTS, SOURCE, --bind/--rbind SRC) done with the mount(2) syscall where we
# know its number: a RUN step makes some twenty mounts, and a process per mount was most of its start-up time.
my %MS = (ro => 1, nosuid => 2, nodev => 4, noexec => 8, remount => 32, bind => 4096, rec => 16384, strictatime => 1 << 24);
sub sys_mount {
  my ($target, @args) = @_;
  return system('mount', @args, $target) == 0 unless $sys;
  my ($type, $source, $flags, @data) = ('', 'none', 0);
  while (@args) {
    my $a = shift @args;
    if ($a eq '-t') { $type = shift @args; }
    elsif ($a eq '--bind') { $flags |= $MS{bind}; $source = shift @args; }
    elsif ($a eq '--rbind') { $flags |= $MS{bind} | $MS{rec}; $source = shift @args; }
    elsif ($a eq '-o') {
      for my $o (split /,/, shift @args) {
        if (exists $MS{$o}) { $flags |= $MS{$o}; } else { push @data, $o; }
      }
    }
    else { $source = $a; }
  }
  my ($src, $tgt, $fstype, $opts) = ($source, $target, $type, join(',', @data));
  my $r = syscall($sys->{mount}, $src, $tgt, ($fstype eq '' ? 0 : $fstype), 0 + $flags, ($opts eq '' ? 0 : $opts));
  return $r == 0;
}
sub do_mount {
  my ($target, @args) = @_;
  sys_mount($target, @args) or fail("mount @args $target: $!");
  push @mounted, $target;
}
sub do_remount {
  my ($target, $opts) = @_;
  sys_mount($target, '-o', "remount,$opts") or fail("remount $target ($opts): $!");
}
sub do_umount {
  my ($target) = @_;
  return system('umount', $target) == 0 || system('umount', '-l', $target) == 0 unless $sys;
  my $t = $target;
  return syscall($sys->{umount2}, $t, 0) == 0 || syscall($sys->{umount2}, $t, 2) == 0;
}

sub overlay_opts {
  my ($lowers, $upper, $work) = @_;
  my $o = "lowerdir=$lowers";
  $o .= ",upperdir=$upper,workdir=$work" if $upper ne '';
  # In a user namespace overlayfs keeps its metadata in user.overlay.* xattrs; userxattr implies no redirects,
  # no metacopy and no index (and refuses those options).
  return $userxattr ? "$o,userxattr" : "$o,redirect_dir=off,index=off,metacopy=off";
}

# 1. The rootfs.
chdir($root{lowercwd}) or fail("chdir $root{lowercwd}: $!");
do_mount($root{merged}, '-t', 'overlay', 'overlay', '-o',
  'nodev,' . overlay_opts($root{lowers}, $root{upper}, $root{work}));
chdir('/');

# 2. The mounts a build step sees, in spec order.
for my $m (@mounts) {
  my ($kind, @a) = @$m;
  if ($kind eq 'proc') {
    my $t = ensure_target('/proc', 0, 1);
    do_mount($t, '-t', 'proc', '-o', 'nosuid,nodev,noexec', 'proc');
    for my $masked (qw(kcore keys timer_list sched_debug latency_stats timer_stats)) {
      next unless -f "$t/$masked";
      do_mount("$t/$masked", '--bind', '/dev/null');
    }
    for my $ro (qw(sys sysrq-trigger irq bus fs asound)) {
      next unless -e "$t/$ro";
      do_mount("$t/$ro", '--bind', "$t/$ro");
      do_remount("$t/$ro", 'bind,ro');
    }
  } elsif ($kind eq 'sys') {
    my $t = ensure_target('/sys', 0, 1);
    # sysfs can only be mounted by the owner of the network namespace; in a user namespace sharing the host's
    # network, show the host's /sys read-only instead.
    if (sys_mount($t, '-t', 'sysfs', '-o', 'ro,nosuid,nodev,noexec', 'sysfs')) { push @mounted, $t; }
    else {
      do_mount($t, '--rbind', '/sys');
      sys_mount($t, '-o', 'remount,bind,ro,nosuid,nodev,noexec');
    }
  } elsif ($kind eq 'dev') {
    my $t = ensure_target('/dev', 0, 1);
    do_mount($t, '-t', 'tmpfs', '-o', 'nosuid,nodev,mode=755,size=65536k', 'tmpfs');
    for my $node (qw(null zero full random urandom tty)) {
      open(my $f, '>', "$t/$node") or fail("create $t/$node: $!");
      close $f;
      do_mount("$t/$node", '--bind', "/dev/$node");
    }
    mkdir("$t/pts", 0755);
    do_mount("$t/pts", '-t', 'devpts', '-o', 'nosuid,noexec,newinstance,ptmxmode=0666,mode=0620', 'devpts');
    symlink('pts/ptmx', "$t/ptmx");
    mkdir("$t/shm", 01777);
    do_mount("$t/shm", '-t', 'tmpfs', '-o', 'nosuid,nodev,noexec,mode=1777,size=65536k', 'shm');
    mkdir("$t/mqueue", 0755);
    do_mount("$t/mqueue", '-t', 'mqueue', '-o', 'nosuid,nodev,noexec', 'mqueue');
    symlink('/proc/self/fd', "$t/fd");
    symlink('/proc/self/fd/0', "$t/stdin");
    symlink('/proc/self/fd/1', "$t/stdout");
    symlink('/proc/self/fd/2', "$t/stderr");
  } elsif ($kind eq 'bind') {
    my ($src, $target, $mode, $type) = @a;
    my $t = ensure_target($target, $type eq 'file');
    do_mount($t, '--bind', $src);
    do_remount($t, 'bind,nosuid,nodev' . ($mode eq 'ro' ? ',ro' : ''));
  } elsif ($kind eq 'tmpfs') {
    my ($target, $opts) = @a;
    my $t = ensure_target($target, 0);
    do_mount($t, '-t', 'tmpfs', '-o', 'nosuid,nodev' . ($opts ne '' ? ",$opts" : ''), 'tmpfs');
  } elsif ($kind eq 'overlay') {
    my ($target, $lowercwd, $lowers, $upper, $work, $subpath) = @a;
    my $hidden = $specfile . '.ov' . scalar(@mounted);
    mkdir($hidden, 0755) or fail("mkdir $hidden: $!");
    chdir($lowercwd) or fail("chdir $lowercwd: $!");
    do_mount($hidden, '-t', 'overlay', '-o', 'nosuid,nodev,' . overlay_opts($lowers, $upper, $work), 'overlay');
    chdir('/');
    my $src = resolve_in_root($hidden, $subpath, 1);
    fail("mount source $subpath does not exist") unless -e $src;
    my $t = ensure_target($target, !-d $src);
    do_mount($t, '--bind', $src);
  }
}

if (defined $hostname) {
  # /proc/sys is not writable from a user namespace; the syscall is (we own the UTS namespace).
  my $name = $hostname;
  my $ok = $sys && syscall($sys->{sethostname}, $name, length($name)) == 0;
  if (!$ok) {
    open(my $h, '>', '/proc/sys/kernel/hostname') or fail("set hostname: $!");
    print $h $hostname;
    close $h;
  }
}
if ($lo) { system('ip', 'link', 'set', 'lo', 'up'); }

my @env;
if (defined $envfile) {
  open(my $ef, '<', $envfile) or fail("read env: $!");
  @env = do { local $/ = "\0"; map { chomp; $_ } <$ef> };
  close $ef;
}

# 3. The command, in its own mount namespace pivoted into the rootfs.
pipe(my $rd, my $wr) or fail("pipe: $!");
my $pid = fork();
fail("fork: $!") unless defined $pid;
if ($pid == 0) {
  close $rd;
  select((select($wr), $| = 1)[0]);
  my $die = sub { print $wr join('', @_); POSIX::_exit(127); };
  $die->("unsupported architecture $arch for RUN isolation") unless $sys;
  syscall($sys->{unshare}, 0x00020000) == 0 or $die->("unshare(CLONE_NEWNS): $!");
  # syscall() may write through string arguments, so it gets copies, never literals.
  my ($slash, $dot1, $dot2, $dot3) = ('/', '.', '.', '.');
  syscall($sys->{mount}, 0, $slash, 0, 16384 | 262144, 0) == 0 or $die->("make / private: $!");
  chdir($root{merged}) or $die->("chdir rootfs: $!");
  syscall($sys->{pivot_root}, $dot1, $dot2) == 0 or $die->("pivot_root: $!");
  syscall($sys->{umount2}, $dot3, 2) == 0 or $die->("detach old root: $!");
  chdir('/') or $die->("chdir /: $!");
  my ($cwd, $userspec, @argv) = @exec;
  my ($uid, $gid, $home, @sgids) = resolve_user($userspec, $die);
  # BuildKit creates a missing working directory, owned by the user the command runs as.
  if (!-d $cwd) {
    mkdir_p($cwd, $uid, $gid) or $die->("cannot create working directory $cwd: $!");
  }
  chdir($cwd) or $die->("chdir $cwd: $!");
  my %keep = map { $_ => 1 } @caps;
  my $last = 40;
  if (open(my $cl, '<', '/proc/sys/kernel/cap_last_cap')) { $last = <$cl>; chomp $last; close $cl; }
  for my $c (0 .. $last) {
    next if $keep{$c};
    syscall($sys->{prctl}, 24, 0 + $c, 0, 0, 0) == 0 or $die->("drop capability $c: $!");
  }
  $) = join(' ', $gid, @sgids ? @sgids : ($gid));
  POSIX::setgid($gid) or $die->("setgid $gid: $!");
  POSIX::setuid($uid) or $die->("setuid $uid: $!");
  umask(022);
  %ENV = ();
  for my $kv (@env) { my ($k, $v) = split /=/, $kv, 2; $ENV{$k} = defined $v ? $v : ''; }
  $ENV{HOME} = $home unless exists $ENV{HOME};
  { no warnings 'exec'; exec { $argv[0] } @argv; }
  $die->("exec $argv[0]: $!");
}

close $wr;
my $setup_error = do { local $/; <$rd> };
close $rd;
waitpid($pid, 0);
my $status = $?;
kill('KILL', -1);
1 while waitpid(-1, 0) > 0;

for my $m (reverse @mounted) {
  next if $m eq $root{merged};
  do_umount($m);
}
for my $s (reverse @stubs) {
  my ($p, $type) = @$s;
  if ($type eq 'file') { unlink($p) if -f $p && !-l $p && -z $p; }
  else { rmdir($p); }
}
# Creating and removing the stubs touched their parents; put the times back so an untouched directory that was
# only copied up for a stub looks unchanged to the snapshot.
for my $dir (keys %times) {
  system('touch', '-c', '-r', $times{$dir}, $dir) if -d $dir;
}

if (defined $setup_error && $setup_error ne '') { fail($setup_error); }
if ($status & 127) { finish('signal ' . ($status & 127)); }
finish('exit ' . ($status >> 8));

sub mkdir_p {
  my ($p, $uid, $gid) = @_;
  my $acc = '';
  for my $c (grep { $_ ne '' } split m{/}, $p) {
    $acc .= "/$c";
    next if -d $acc;
    mkdir($acc, 0755) or return 0;
    chown($uid, $gid, $acc) or return 0;
  }
  return 1;
}

sub read_db {
  my ($file) = @_;
  my @rows;
  open(my $f, '<', $file) or return ();
  while (my $line = <$f>) {
    chomp $line;
    next if $line eq '' || $line =~ /^\s*#/;
    push @rows, [split /:/, $line, -1];
  }
  close $f;
  return @rows;
}

# libcontainer's GetExecUser rules: a numeric user needs no passwd entry; names must resolve; supplementary
# groups come from /etc/group membership only when no group was given.
sub resolve_user {
  my ($spec, $die) = @_;
  $spec = '' unless defined $spec;
  my ($u, $g) = split /:/, $spec, 2;
  $u = '' unless defined $u;
  my @pw = read_db('/etc/passwd');
  my ($uid, $gid, $home, $name) = (0, 0, '/', undef);
  if ($u eq '') { $u = '0'; }
  my $unum = ($u =~ /^\d+$/);
  my ($entry) = grep { @$_ >= 6 && ($unum ? ($_->[2] =~ /^\d+$/ && $_->[2] == $u) : $_->[0] eq $u) } @pw;
  if ($entry) {
    ($name, $uid, $gid, $home) = ($entry->[0], $entry->[2], $entry->[3], $entry->[5]);
  } elsif ($unum) {
    $uid = $u;
  } else {
    $die->("unable to find user $u: no matching entries in passwd file");
  }
  my @gr = read_db('/etc/group');
  my @sgids;
  if (defined $g && $g ne '') {
    my $gnum = ($g =~ /^\d+$/);
    my ($ge) = grep { @$_ >= 3 && ($gnum ? ($_->[2] =~ /^\d+$/ && $_->[2] == $g) : $_->[0] eq $g) } @gr;
    if ($ge) { $gid = $ge->[2]; }
    elsif ($gnum) { $gid = $g; }
    else { $die->("unable to find group $g: no matching entries in group file"); }
  } elsif (defined $name) {
    for my $ge (@gr) {
      next unless @$ge >= 4 && $ge->[2] =~ /^\d+$/;
      push @sgids, $ge->[2] if grep { $_ eq $name } split /,/, $ge->[3];
    }
  }
  $home = '/' if !defined $home || $home eq '';
  return ($uid, $gid, $home, @sgids);
}
`;
