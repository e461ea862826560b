;;; dape.el --- drive dape (the real Emacs DAP client) against `mmscn dap'  -*- lexical-binding: t -*-
;; Run: MMSCN_DAPE=<dape checkout> MMSCN_CLI=dist/cli.js MMSCN_FILE=<file.mmscn> MMSCN_OUT=<out.json> \
;;      emacs --batch -Q -l test/adapter/editors/dape.el
;; The configuration of docs/editors.md, then a breakpoint (one conditional), continue, step into a phase,
;; step back and reverse continue (dape has no commands for these: sent as plain DAP requests), a console
;; command typed into the dape REPL, disconnect.  Writes a JSON object of observations to $MMSCN_OUT.
(require 'json)
(defvar mmscn-result nil)
(defun mmscn-put (k v) (setq mmscn-result (plist-put mmscn-result k v)))
(defun mmscn-wait (pred &optional secs)
  (let ((end (+ (float-time) (or secs 10))))
    (while (and (not (funcall pred)) (< (float-time) end))
      (accept-process-output nil 0.05))
    (funcall pred)))

(condition-case err
    (progn
      (add-to-list 'load-path (getenv "MMSCN_DAPE"))
      ;; ---- the configuration shown in docs/editors.md (with the CLI path from the test) ----
      (require 'dape)
      (add-to-list 'auto-mode-alist '("\\.mmscn\\'" . prog-mode))
      (add-to-list 'dape-configs
                   `(mmscn
                     modes (prog-mode)
                     command "node"
                     command-args (,(getenv "MMSCN_CLI") "dap")
                     :type "mmscn"
                     :request "launch"
                     :program dape-find-file-buffer-default
                     :stopOnEntry t))
      (defun mmscn-dape-step-back () "Step back one step (or phase)." (interactive) (dape--next-like-command "stepBack"))
      (defun mmscn-dape-reverse-continue () "Run backwards to a breakpoint." (interactive) (dape--next-like-command "reverseContinue"))
      ;; ---- end of configuration ----
      (find-file (getenv "MMSCN_FILE"))
      (goto-char (point-min)) (forward-line 12)          ; line 13
      (dape-breakpoint-toggle)
      (goto-char (point-min)) (forward-line 11)          ; line 12: never holds there
      (dape-breakpoint-expression "Normal.free < 16000")
      (let ((stops 0))
        (add-hook 'dape-on-stopped-hooks (lambda () (setq stops (1+ stops))))
        (cl-flet ((frame () (let ((f (dape--current-stack-frame))) (list :name (plist-get f :name) :line (plist-get f :line))))
                  (stopped (n what)
                    (unless (mmscn-wait (lambda () (and (>= stops n) (dape--current-stack-frame)
                                                         (plist-get (dape--current-thread) :stackFrames))))
                      (error "timed out waiting for %s" what))
                    (accept-process-output nil 0.2)))
          ;; as `M-x dape RET mmscn :program "FILE"' (interactively dape asks for the program, the buffer's file by default)
          (dape (dape--config-eval 'mmscn (list :program (getenv "MMSCN_FILE"))))
          (stopped 1 "entry")
          (mmscn-put :entry (frame))
          (dape-continue)
          (stopped 2 "breakpoint")
          (mmscn-put :at_breakpoint (frame))
          (dape-step-in)
          (stopped 3 "step in")
          (dape-step-in)
          (stopped 4 "step in")
          (mmscn-put :phase (frame))
          (mmscn-dape-step-back)
          (stopped 5 "step back")
          (mmscn-put :after_step_back (frame))
          (mmscn-dape-reverse-continue)
          (stopped 6 "reverse continue")
          (mmscn-put :after_reverse_continue (frame))
          ;; a kernel-format console command typed into the REPL
          (dape-repl)
          (with-current-buffer "*dape-repl*"
            (goto-char (point-max))
            (insert "buddyinfo")
            (comint-send-input)
            (mmscn-wait (lambda () (string-match-p "zone   Normal" (buffer-string))) 5)
            (mmscn-put :repl (buffer-substring-no-properties (point-min) (point-max))))
          (dape-kill)
          (mmscn-wait (lambda () (not (and dape--process (process-live-p dape--process)))) 5)
          (mmscn-put :adapter_alive (and dape--process (process-live-p dape--process) t)))))
  (error (mmscn-put :error (format "%S" err))))
(with-temp-file (getenv "MMSCN_OUT")
  (insert (json-encode mmscn-result)))
(kill-emacs 0)
