import sys,collections
# Classify async-profiler collapsed stacks (threads on) of the loop thread + others.
tot=collections.Counter(); n=0
for line in open(sys.argv[1]):
    stack,_,cnt=line.rstrip().rpartition(' ')
    cnt=int(cnt); frames=stack.split(';'); thread=frames[0]
    if 'eventide-loop-0' not in thread:
        key='other threads: '+('JIT compiler' if 'Compiler' in thread else 'GC' if ('GC' in thread or 'G1' in thread) else thread.split(' tid')[0].strip('['))
        tot[key]+=cnt; n+=cnt; continue
    leaf=frames[-1]
    # find the innermost Java frame (contains '/' or '.') 
    java=[f for f in frames[1:] if '/' in f]
    owners=[f for f in java if f.startswith(('io/eventide','sun/nio','java/nio'))]
    inner=owners[-1] if owners else (java[-1] if java else '')
    if leaf.endswith('_[k]') or not ('/' in leaf or '.' in leaf) or leaf.startswith('__') or leaf in ('epoll_wait','write','read','writev','readv') or 'libc' in leaf or leaf.startswith('Java_') :
        # native leaf: syscall / libc / JNI stub
        if 'epollWait' in stack or 'epoll_wait' in leaf: key='kernel+libc: epoll_wait'
        elif 'write' in stack.split(';')[-6:].__str__() or 'write' in leaf: key='kernel+libc: write/writev'
        elif 'read' in leaf or 'read0' in stack or 'Read' in leaf: key='kernel+libc: read'
        else: key='native other: '+leaf[:40]
    elif java and java[-1].startswith(('jdk/internal/foreign','java/lang/foreign')):
        # the native transport's FFM work in Java: downcall stubs, memory segment access
        key='JDK FFM (Java): '+java[-1].rsplit('.',1)[0].split('/')[-1]
    elif inner.startswith('sun/nio') or inner.startswith('java/nio') or inner.startswith('jdk/internal/misc') or inner.startswith('java/util/concurrent/locks'):
        key='JDK NIO (Java): '+inner.rsplit('.',1)[0].split('/')[-1]
    elif inner.startswith('io/eventide'):
        key='Eventide: '+inner.rsplit('.',1)[0].split('/')[-1]
    elif inner.startswith('java/'):
        key='JDK other: '+inner.rsplit('.',1)[0].split('/')[-1]
    else:
        key='JVM (interp/GC barrier/stubs): '+leaf[:40]
    tot[key]+=cnt; n+=cnt
groups=collections.Counter()
for k,v in tot.items(): groups[k.split(':')[0]]+=v
print('total samples',n)
for k,v in groups.most_common(): print('%5.1f%%  %s'%(100*v/n,k))
print('--- detail')
for k,v in tot.most_common(30): print('%5.1f%%  %s'%(100*v/n,k))
