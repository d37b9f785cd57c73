<?php
// The real-Moodle suite's site setup, through Moodle's own code as an administrator would do it.
// php site.php <command> '<json>'  →  one JSON document on stdout.
//   setup      {tool:{...}, users:[...], course:{...}}  the Inspera tool type, users, a course, enrolments, an activity
//   add-type   {tool:{...}}                             another tool type (Manage tools › configure a tool manually)
//   update-type {typeid, tool:{...}}                     change a tool type's settings (the same form, saved again)
//   add-activity {course, typeid, name}                 an External tool activity using a preconfigured tool
//   add-course {fullname, shortname, users:[{id, role}], typeid, activity}   another course and activity
//   activity-ids {cmid}                                 the lti instance and its grade item
//   details    {typeid}                                 the six Tool configuration details
//   set-config {name: value, ...}                       site settings ($CFG) through set_config
//   publish-as-tool {platform, clientId, deploymentId}  Moodle as an LTI 1.3 tool (Publish as LTI tool): the plugins
//              on, a platform registered with its deployment, a new course published; its uniqueid, uuid and enrolid
//   lti-enrolments {enrolid}                            the users a published course's LTI enrolment holds
//   grade-and-sync {enrolid, userid, grade, max}        mark a user in the published course, run the tool's grade sync
//   sync-members {}                                     run the tool's member sync (NRPS from the platform)
define('CLI_SCRIPT', true);
require getenv('MOODLE_CONFIG');
require_once($CFG->dirroot . '/mod/lti/locallib.php');
require_once($CFG->dirroot . '/mod/lti/edit_form.php');
require_once($CFG->dirroot . '/user/lib.php');
require_once($CFG->dirroot . '/course/lib.php');
require_once($CFG->dirroot . '/course/modlib.php');
require_once($CFG->libdir . '/enrollib.php');

\core\session\manager::set_user(get_admin());
$PAGE->set_url('/mod/lti/typessettings.php');
$PAGE->set_context(context_system::instance());

$command = $argv[1] ?? '';
$input = json_decode($argv[2] ?? '{}', true);

function tool_form_data(array $tool, $id = null) {
    $privacy = ['never' => LTI_SETTING_NEVER, 'always' => LTI_SETTING_ALWAYS, 'delegate' => LTI_SETTING_DELEGATE];
    $containers = ['default' => LTI_LAUNCH_CONTAINER_DEFAULT, 'embed' => LTI_LAUNCH_CONTAINER_EMBED,
        'embed-no-blocks' => LTI_LAUNCH_CONTAINER_EMBED_NO_BLOCKS, 'new-window' => LTI_LAUNCH_CONTAINER_WINDOW,
        'existing-window' => LTI_LAUNCH_CONTAINER_REPLACE_MOODLE_WINDOW];
    $data = [
        'lti_typename' => $tool['name'] ?? 'Inspera Assessment',
        'lti_toolurl' => $tool['toolUrl'],
        'lti_description' => '',
        'lti_ltiversion' => LTI_VERSION_1P3,
        'lti_keytype' => ($tool['keyType'] ?? 'keyset') === 'rsa' ? LTI_RSA_KEY : LTI_JWK_KEYSET,
        'lti_publickey' => $tool['publicKey'] ?? '',
        'lti_publickeyset' => $tool['keysetUrl'],
        'lti_initiatelogin' => $tool['loginInitUrl'],
        'lti_redirectionuris' => implode("\n", $tool['redirectUrls']),
        'lti_customparameters' => $tool['customParameters'] ?? '',
        'lti_coursevisible' => LTI_COURSEVISIBLE_PRECONFIGURED,
        'lti_launchcontainer' => $containers[$tool['launchContainer'] ?? 'new-window'],
        'lti_contentitem' => 0,
        'lti_sendname' => $privacy[$tool['shareName'] ?? 'always'],
        'lti_sendemailaddr' => $privacy[$tool['shareEmail'] ?? 'always'],
        'lti_acceptgrades' => $privacy[$tool['acceptGrades'] ?? 'always'],
        'lti_forcessl' => 0,
        'ltiservice_gradesynchronization' => $tool['ags'] ?? 2,
        'ltiservice_memberships' => $tool['nrps'] ?? 1,
        'ltiservice_toolsettings' => 0,
    ];
    if ($id) {
        $data['typeid'] = $id;
        $data['lti_clientid'] = $tool['clientId'] ?? '';
    }
    return $data;
}

function submit_tool_form(array $tool, $id = null, $courseid = null) {
    $data = tool_form_data($tool, $id);
    mod_lti_edit_types_form::mock_submit($data);
    $form = new mod_lti_edit_types_form(new moodle_url('/mod/lti/typessettings.php'),
        (object) ['isadmin' => true, 'istool' => false, 'id' => $id, 'clientid' => $data['lti_clientid'] ?? null,
            'coursecategories' => '', 'iscoursetool' => false]);
    $formdata = $form->get_data();
    if (!$formdata) {
        throw new coding_exception('the tool form did not validate: ' . json_encode($form->validation($data, [])));
    }
    $type = new stdClass();
    if ($id) {
        $type->id = $id;
        lti_load_type_if_cartridge($formdata);
        lti_update_type($type, $formdata);
        return $id;
    }
    $type->state = LTI_TOOL_STATE_CONFIGURED;
    if ($courseid) {
        // A teacher's course tool (4.3+, mod/lti/coursetooledit.php): the same form, stored with the course's id.
        $type->course = $courseid;
    }
    lti_load_type_if_cartridge($formdata);
    return lti_add_type($type, $formdata);
}

function details($typeid) {
    $type = lti_get_type($typeid);
    return ['typeid' => (int) $typeid] + get_tool_type_config($type);
}

function add_activity($course, $typeid, $name) {
    $moduleinfo = (object) [
        'modulename' => 'lti', 'course' => $course->id, 'section' => 0, 'visible' => 1, 'name' => $name,
        'typeid' => $typeid, 'toolurl' => '', 'securetoolurl' => '', 'instructorchoicesendname' => 1,
        'instructorchoicesendemailaddr' => 1, 'instructorchoiceacceptgrades' => 1, 'instructorcustomparameters' => '',
        'launchcontainer' => LTI_LAUNCH_CONTAINER_DEFAULT, 'grade' => 100, 'showtitlelaunch' => 1, 'showdescriptionlaunch' => 0,
        'introeditor' => ['text' => '', 'format' => FORMAT_HTML, 'itemid' => 0], 'cmidnumber' => '',
    ];
    $info = create_module($moduleinfo);
    return (int) $info->coursemodule;
}

/** Run a task and return what it logged: mtrace writes to STDOUT past any output buffer, but takes a wrapper. */
function site_run_task($task) {
    global $CFG;
    $GLOBALS['site_mtrace'] = '';
    $CFG->mtrace_wrapper = 'site_mtrace';
    $task->execute();
    return $GLOBALS['site_mtrace'];
}
function site_mtrace($string, $eol) { $GLOBALS['site_mtrace'] .= $string . $eol; }

$out = [];
switch ($command) {
    case 'setup':
        $typeid = submit_tool_form($input['tool']);
        $users = [];
        foreach ($input['users'] as $u) {
            $users[$u['username']] = (int) user_create_user((object) [
                'username' => $u['username'], 'password' => $u['password'], 'firstname' => $u['firstname'],
                'lastname' => $u['lastname'], 'email' => $u['email'], 'auth' => 'manual', 'confirmed' => 1,
                'mnethostid' => $CFG->mnet_localhost_id, 'idnumber' => $u['idnumber'] ?? '',
            ], true, false);
        }
        $course = create_course((object) ['fullname' => $input['course']['fullname'], 'shortname' => $input['course']['shortname'],
            'category' => 1, 'summary' => '', 'summaryformat' => FORMAT_HTML]);
        $manual = enrol_get_plugin('manual');
        $instance = $DB->get_record('enrol', ['courseid' => $course->id, 'enrol' => 'manual'], '*', MUST_EXIST);
        $roles = ['teacher' => $DB->get_field('role', 'id', ['shortname' => 'editingteacher']), 'student' => $DB->get_field('role', 'id', ['shortname' => 'student'])];
        foreach ($input['users'] as $u) {
            if (!empty($u['role'])) $manual->enrol_user($instance, $users[$u['username']], $roles[$u['role']]);
        }
        $cmid = add_activity($course, $typeid, $input['course']['activity']);
        $out = ['details' => details($typeid), 'users' => $users, 'courseid' => (int) $course->id, 'cmid' => $cmid,
            'release' => $CFG->release, 'version' => $CFG->version];
        break;
    case 'add-type':
        $out = details(submit_tool_form($input['tool']));
        break;
    case 'update-type':
        $type = lti_get_type($input['typeid']);
        submit_tool_form($input['tool'] + ['clientId' => $type->clientid], $input['typeid']);
        $out = details($input['typeid']);
        break;
    case 'add-course-tool':
        $out = details(submit_tool_form($input['tool'], null, (int) $input['courseid']));
        break;
    case 'set-type-config':
        // A stored value the form no longer offers (share name/e-mail "Delegate to teacher" since 4.3: kept only by
        // tools set up before, edit_form.php definition_after_data), as a site upgraded from 4.2 holds it.
        $DB->set_field('lti_types_config', 'value', $input['value'], ['typeid' => $input['typeid'], 'name' => $input['name']]);
        $out = ['ok' => true];
        break;
    case 'activity-record':
        $cm = get_coursemodule_from_id('lti', $input['cmid'], 0, false, MUST_EXIST);
        $out = (array) $DB->get_record('lti', ['id' => $cm->instance], 'id, typeid, instructorchoicesendname, ' .
            'instructorchoicesendemailaddr, instructorchoiceacceptgrades', MUST_EXIST);
        break;
    case 'type-config-names':
        // What Moodle stored for the tool (lti_types_config): a field a browser never posts must not be among them.
        $out = ['names' => array_values($DB->get_fieldset_select('lti_types_config', 'name', 'typeid = ?',
            [$input['typeid']]))];
        break;
    case 'delete-type':
        lti_delete_type($input['typeid']);
        $out = ['ok' => true];
        break;
    case 'add-activity':
        $course = $DB->get_record('course', ['id' => $input['courseid']], '*', MUST_EXIST);
        $out = ['cmid' => add_activity($course, $input['typeid'], $input['name'])];
        break;
    case 'add-course':
        // A course of its own, the given users enrolled, an activity of the given tool type.
        $course = create_course((object) ['fullname' => $input['fullname'], 'shortname' => $input['shortname'], 'category' => 1,
            'summary' => '', 'summaryformat' => FORMAT_HTML]);
        $manual = enrol_get_plugin('manual');
        $instance = $DB->get_record('enrol', ['courseid' => $course->id, 'enrol' => 'manual'], '*', MUST_EXIST);
        foreach ($input['users'] as $u) {
            $manual->enrol_user($instance, $u['id'], $DB->get_field('role', 'id', ['shortname' => $u['role'] === 'teacher' ? 'editingteacher' : 'student']));
        }
        $out = ['courseid' => (int) $course->id, 'cmid' => add_activity($course, $input['typeid'], $input['activity'])];
        break;
    case 'activity-ids':
        $instance = (int) $DB->get_field('course_modules', 'instance', ['id' => $input['cmid']], MUST_EXIST);
        $item = (int) $DB->get_field('grade_items', 'id', ['itemtype' => 'mod', 'itemmodule' => 'lti', 'iteminstance' => $instance, 'itemnumber' => 0], MUST_EXIST);
        $out = ['instanceid' => $instance, 'gradeitemid' => $item];
        break;
    case 'details':
        $out = details($input['typeid']);
        break;
    case 'mobile-service':
        // Site administration > Mobile app > "Enable web services for mobile devices", through its own setting class:
        // web services, the REST protocol, the moodle_mobile_app service and webservice/rest:use for users.
        require_once($CFG->libdir . '/adminlib.php');
        $setting = new admin_setting_enablemobileservice('enablemobilewebservice', '', '', 0);
        $setting->write_setting(!empty($input['on']) ? '1' : '0');
        $out = ['ok' => true];
        break;
    case 'set-activity-accept-grades':
        // The activity's own "Accept grades from the tool" box (mdl_lti.instructorchoiceacceptgrades).
        $instance = (int) $DB->get_field('course_modules', 'instance', ['id' => $input['cmid']], MUST_EXIST);
        $DB->set_field('lti', 'instructorchoiceacceptgrades', (int) $input['value'], ['id' => $instance]);
        $out = ['ok' => true];
        break;
    case 'set-config':
        foreach ($input as $name => $value) set_config($name, $value);
        $out = ['ok' => true];
        break;
    case 'publish-as-tool':
        // Site administration > Plugins > Enrolments > Publish as LTI tool, as an administrator would set it up.
        $auths = array_filter(explode(',', $CFG->auth ?? ''));
        if (!in_array('lti', $auths)) set_config('auth', implode(',', array_merge($auths, ['lti'])));
        $enrols = array_filter(explode(',', $CFG->enrol_plugins_enabled ?? ''));
        if (!in_array('lti', $enrols)) set_config('enrol_plugins_enabled', implode(',', array_merge($enrols, ['lti'])));
        \core_plugin_manager::reset_caches();
        require_once($CFG->dirroot . '/auth/lti/auth.php');
        $platform = $input['platform'];
        $registration = \enrol_lti\local\ltiadvantage\entity\application_registration::create(
            'inspera-lti embedded Moodle', bin2hex(random_bytes(30)), new moodle_url($platform), $input['clientId'],
            new moodle_url($platform . '/mod/lti/auth.php'), new moodle_url($platform . '/mod/lti/certs.php'),
            new moodle_url($platform . '/mod/lti/token.php'));
        $registration = (new \enrol_lti\local\ltiadvantage\repository\application_registration_repository())->save($registration);
        (new \enrol_lti\local\ltiadvantage\repository\deployment_repository())->save(
            $registration->add_tool_deployment('embedded deployment', $input['deploymentId']));
        // A course of its own, so that the users the launches make are nobody else's classmates.
        $course = create_course((object) ['fullname' => 'Published as an LTI tool', 'shortname' => 'PUB' . random_int(100, 999),
            'category' => 1, 'summary' => '', 'summaryformat' => FORMAT_HTML]);
        $enrolid = enrol_get_plugin('lti')->add_instance($course, [
            'name' => 'Published course', 'ltiversion' => 'LTI-1p3', 'contextid' => context_course::instance($course->id)->id,
            'status' => ENROL_INSTANCE_ENABLED, 'roleinstructor' => $DB->get_field('role', 'id', ['shortname' => 'editingteacher']),
            'rolelearner' => $DB->get_field('role', 'id', ['shortname' => 'student']), 'gradesync' => 1, 'gradesynccompletion' => 0,
            // The form's defaults: learners get an account at their first launch, teachers are asked.
            'provisioningmodelearner' => auth_plugin_lti::PROVISIONING_MODE_AUTO_ONLY,
            'provisioningmodeinstructor' => auth_plugin_lti::PROVISIONING_MODE_PROMPT_NEW_EXISTING,
            'membersync' => 1, 'membersyncmode' => \enrol_lti\helper::MEMBER_SYNC_ENROL_NEW,
        ]);
        $tool = $DB->get_record('enrol_lti_tools', ['enrolid' => $enrolid], '*', MUST_EXIST);
        $out = ['uniqueid' => $registration->get_uniqueid(), 'uuid' => $tool->uuid, 'enrolid' => (int) $enrolid];
        break;
    case 'lti-enrolments':
        // Who the published course's LTI enrolment holds (users auth_lti made at their first launch), and their last launch.
        $out = array_values(array_map(fn($r) => ['id' => (int) $r->id, 'username' => $r->username, 'auth' => $r->auth, 'lastaccess' => (int) $r->lastaccess],
            $DB->get_records_sql('SELECT u.id, u.username, u.auth, lu.lastaccess FROM {user_enrolments} ue JOIN {user} u ON u.id = ue.userid
                JOIN {enrol_lti_tools} t ON t.enrolid = ue.enrolid JOIN {enrol_lti_users} lu ON lu.userid = u.id AND lu.toolid = t.id
                WHERE ue.enrolid = ?', [$input['enrolid']])));
        break;
    case 'grade-and-sync':
        // A teacher marks the user in the published course (a manual grade item, so the course total has it), and
        // the tool's grade sync runs (enrol_lti's sync_tool_grades, as cron would run it): its log comes back.
        require_once($CFG->libdir . '/gradelib.php');
        $tool = $DB->get_record('enrol_lti_tools', ['enrolid' => $input['enrolid']], '*', MUST_EXIST);
        $courseid = (int) $DB->get_field('enrol', 'courseid', ['id' => $input['enrolid']], MUST_EXIST);
        $item = grade_item::fetch(['courseid' => $courseid, 'itemtype' => 'manual', 'itemname' => 'Exam']);
        if (!$item) {
            $item = new grade_item(['courseid' => $courseid, 'itemtype' => 'manual', 'itemname' => 'Exam', 'grademax' => $input['max'], 'gradetype' => GRADE_TYPE_VALUE]);
            $item->insert();
        }
        $item->update_final_grade($input['userid'], $input['grade'], 'test');
        grade_regrade_final_grades($courseid);
        $task = new \enrol_lti\local\ltiadvantage\task\sync_tool_grades();
        $task->set_custom_data(\enrol_lti\helper::get_lti_tool($tool->id));
        $out = ['log' => site_run_task($task)];
        break;
    case 'sync-members':
        // The tool's member sync (enrol_lti's sync_members, as cron would run it): NRPS from the platform.
        $out = ['log' => site_run_task(new \enrol_lti\local\ltiadvantage\task\sync_members())];
        break;
    default:
        fwrite(STDERR, "unknown command $command\n");
        exit(2);
}
echo json_encode($out, JSON_UNESCAPED_SLASHES), "\n";
