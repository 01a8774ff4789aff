"""Reading an export in a second process while this one writes.

Reading the XML (lxml's iterparse, building the records) and converting each entry's texts
(``cleaning.convert_entry``: automatic paragraphs, shortcodes, comment HTML) is about half of an
import's CPU, writing the rows the other half, and threads would share one interpreter lock. So
a large file is read and converted by a forked child process that sends its records through a
pipe in batches, and the import uses two cores. In this process a thread empties the pipe into
a buffer of a few batches, so the child keeps reading while the writer writes; when the buffer
is full the child waits, so memory stays bounded whatever the file's size.

The child is forked, not spawned: it starts in a millisecond with Django and the reader already
set up, and it never touches the database (it reads a file and writes to a pipe). Forking a
process that runs other threads is unsafe (a lock held by another thread stays held in the
child forever), so with other threads alive, where fork is missing, or for a small file, the
records are read in this process as before. Either way the writer sees the same records in the
same order, and a refused file raises the same ``WXRError``.

The child never outlives this process, even when this one is killed outright (SIGKILL, the
out-of-memory killer), which runs no clean-up: each process closes the pipe end it does not use
right after the fork, so the reading end dies with this process and the child's next write fails;
on Linux the child also asks the kernel for SIGKILL when its parent dies (``PR_SET_PDEATHSIG``),
so it does not even finish the batch it is reading.
"""

import ctypes
import ctypes.util
import multiprocessing
import os
import pickle
import queue
import signal
import sys
import threading
import traceback

from django.utils.translation import gettext as _

from salon import languages

from .cleaning import convert_entry
from .records import Entry
from .wxr import WXRError

# Below this size the fork costs more than it saves.
CHILD_PROCESS_MIN_BYTES = 4 * 1024 * 1024
BATCH = 64  # records per message: large enough to amortise pickling, small enough to stream
BUFFERED_MESSAGES = 16  # how far the reader may run ahead of the writer (memory stays bounded)


class RecordSource:
    """The records of ``reader``'s file, with the reading position for a progress bar and the
    count of control characters removed (known at the end)."""

    def __init__(self, reader, min_bytes=None):
        self.reader = reader
        self.min_bytes = CHILD_PROCESS_MIN_BYTES if min_bytes is None else min_bytes
        self.position = 0
        self.control_characters = 0
        self.in_child_process = False

    def __iter__(self):
        if self._use_child_process():
            self.in_child_process = True
            yield from self._from_child()
        else:
            yield from self._here()

    def _use_child_process(self):
        if "fork" not in multiprocessing.get_all_start_methods():
            return False
        if threading.active_count() > 1:
            return False
        try:
            return self.reader.path.stat().st_size >= self.min_bytes
        except OSError:
            return False  # the reader reports the unreadable file itself

    def _here(self):
        reader = self.reader
        for record in reader.records():
            if reader.stream is not None:
                self.position = reader.stream.raw.tell()
            yield record
        self.control_characters = reader.stream.control_characters if reader.stream else 0

    def _from_child(self):
        context = multiprocessing.get_context("fork")
        receiving, sending = context.Pipe(duplex=False)
        child = context.Process(
            target=_child_main,
            args=(self.reader, sending, receiving, os.getpid()),
            name="salon-wxr-reader",
            daemon=True,
        )
        child.start()
        sending.close()  # the child holds the only writing end: its exit ends the stream
        # A thread empties the pipe into a bounded buffer: without it the child could only run
        # one message ahead (the pipe holds 64 KB) and would wait, idle, each time the writer
        # writes a batch. Receiving bytes releases the interpreter lock; unpickling is done here.
        buffer, stop = queue.Queue(maxsize=BUFFERED_MESSAGES), threading.Event()
        drainer = threading.Thread(
            target=_drain, args=(receiving, buffer, stop), name="salon-wxr-drain", daemon=True
        )
        drainer.start()
        finished = False
        try:
            while True:
                data = buffer.get()
                if data is None:
                    child.join()
                    raise WXRError(
                        _(
                            "%(file)s: the process reading the file stopped unexpectedly (exit "
                            "code %(code)s). Nothing was imported."
                        )
                        % {"file": self.reader.name, "code": child.exitcode}
                    )
                message = pickle.loads(data)
                kind = message[0]
                if kind == "records":
                    _kind, records, self.position = message
                    yield from records
                elif kind == "done":
                    self.control_characters, self.position = message[1], message[2]
                    finished = True
                    return
                elif kind == "refused":
                    raise WXRError(message[1])
                else:  # "failed": a bug in the reader; its traceback is in the message
                    raise RuntimeError(f"Reading {self.reader.name} failed:\n{message[1]}")
        finally:
            stop.set()
            if not finished and child.is_alive():
                child.kill()  # the writer stopped early (an error): the reader is not needed
            child.join()  # its end of the pipe is closed now: the drainer meets the end
            drainer.join()
            receiving.close()


def _drain(receiving, buffer, stop):
    """The parent's receiving thread: pipe -> buffer, then None at the end of the stream."""
    while True:
        try:
            data = receiving.recv_bytes()
        except (EOFError, OSError):
            data = None
        while True:
            try:
                buffer.put(data, timeout=0.1)
                break
            except queue.Full:
                if stop.is_set():
                    return  # the import is over; nobody will read the rest
        if data is None:
            return


def _child_main(reader, sending, receiving, parent_pid):
    """The child's first moves, before it reads anything: make sure it dies with its parent."""
    # The fork copied both ends of the pipe. Holding the reading end, the child would keep its
    # own pipe open after its parent died and wait forever for room to write.
    receiving.close()
    _die_with_parent(parent_pid)
    _read_in_child(reader, sending)


def _die_with_parent(parent_pid):
    """On Linux, have the kernel send SIGKILL to this process when its parent dies. Elsewhere
    the closed pipe does it: the parent's death closes the only reading end, the next write
    raises BrokenPipeError and the child returns."""
    if not sys.platform.startswith("linux"):
        return
    # The signal comes when the *thread* that forked ends; the fork happens only when the
    # parent runs a single thread (see _use_child_process), so that is the parent's death.
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return  # no usable libc: the closed pipe still ends the child
    # The parent may have died between the fork and the prctl (no signal comes then):
    # the child has been re-parented, and stops at once.
    if os.getppid() != parent_pid:
        os._exit(0)


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _read_in_child(reader, sending):
    """The child's whole life: read, convert the texts, send batches, say how it ended."""
    language_codes = {code.lower() for code in languages.content_languages()}
    try:
        batch, position = [], 0
        for record in reader.records():
            if isinstance(record, Entry):
                # The texts' conversion depends on the record alone: done here, it runs
                # beside the writer instead of before it.
                record.converted = convert_entry(record, language_codes)
            batch.append(record)
            position = reader.stream.raw.tell()
            if len(batch) >= BATCH:
                sending.send(("records", batch, position))
                batch = []
        if batch:
            sending.send(("records", batch, position))
        stream = reader.stream
        sending.send(("done", stream.control_characters if stream else 0, position))
    except WXRError as error:
        sending.send(("refused", str(error)))
    except BrokenPipeError:
        pass  # the writer gave up; nobody is listening
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        sending.send(("failed", traceback.format_exc()))
    finally:
        sending.close()
