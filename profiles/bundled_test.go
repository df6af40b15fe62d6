package profiles

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/sshcv/sshcv/profiles/doc"
	"github.com/sshcv/sshcv/profiles/markdown"
)

func loadBundled(t *testing.T, file string) *Profile {
	t.Helper()
	data, err := fs.ReadFile(Bundled(), file)
	if err != nil {
		t.Fatal(err)
	}
	p, err := markdown.Parse("bundled:"+file, data)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return p
}

func TestBundledFiles(t *testing.T) {
	entries, err := fs.ReadDir(Bundled(), ".")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "ankush.md de rohit.md" {
		t.Errorf("bundled files = %q, want ankush.md, rohit.md and the folder de only", names)
	}
}

func TestBundledGolden(t *testing.T) {
	for _, f := range []string{"rohit.md", "ankush.md"} {
		t.Run(f, func(t *testing.T) {
			p := loadBundled(t, f)
			assertNoMarkup(t, p)
			checkGolden(t, "bundled-"+strings.TrimSuffix(f, ".md")+".golden", dumpProfile(p))
		})
	}
}

func TestBundledHeader(t *testing.T) {
	rohit, ankush := loadBundled(t, "rohit.md"), loadBundled(t, "ankush.md")
	tests := []struct {
		p                            *Profile
		name, headline, alias, email string
		phone                        string
		links                        []Link
		sections                     []string
	}{
		{
			p: rohit, name: "Rohit Gupta", headline: "Production Engineer · DevOps & infrastructure",
			alias: "rohit01", email: "hello@rohit.io",
			links: []Link{{Label: "Blog", URL: "http://www.rohit.io"}, {Label: "GitHub", URL: "https://github.com/rohit01"},
				{Label: "LinkedIn", URL: "http://www.linkedin.com/in/rohit01"}, {Label: "Docker Hub", URL: "https://hub.docker.com/r/rohit01"}},
			sections: []string{"Experience", "Projects", "Skills", "Achievements", "Education", "Recommendations"},
		},
		{
			p: ankush, name: "Ankush Sharma",
			headline: "SWE @Google | OSS fan | Distributed Systems, Scalability & Performance | Prev @Koinex & @Paypal | IIT BHU'16",
			alias:    "darxtrix", email: "darxtrix@gmail.com", phone: "(+91)-8081172177",
			links: []Link{{Label: "Website", URL: "http://darxtrix.in"}, {Label: "GitHub", URL: "https://github.com/darxtrix"},
				{Label: "Twitter", URL: "https://twitter.com/darxtrix"}, {Label: "Medium", URL: "https://medium.com/@darxtrix"}},
			sections: []string{"Experience", "Internships", "Skills", "Projects", "Writing", "Talks",
				"Education", "Activities", "Interests"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p
			if p.Name != tt.name || p.Headline != tt.headline || p.Email != tt.email || p.Phone != tt.phone {
				t.Errorf("header = %q, %q, %q, %q", p.Name, p.Headline, p.Email, p.Phone)
			}
			if len(p.Aliases) != 1 || p.Aliases[0] != tt.alias {
				t.Errorf("aliases = %q, want [%s]", p.Aliases, tt.alias)
			}
			if len(p.Links) != len(tt.links) {
				t.Fatalf("links = %v, want %v", p.Links, tt.links)
			}
			for i := range tt.links {
				if p.Links[i] != tt.links[i] {
					t.Errorf("link %d = %v, want %v", i, p.Links[i], tt.links[i])
				}
			}
			var titles []string
			for _, s := range p.Sections {
				titles = append(titles, s.Title)
				if len(s.Title) > 16 {
					t.Errorf("section title %q is too long for a tab", s.Title)
				}
			}
			if strings.Join(titles, "|") != strings.Join(tt.sections, "|") {
				t.Errorf("sections = %q, want %q", titles, tt.sections)
			}
			// Neither seed states where its owner lives, so the CVs claim no location.
			if p.Accent == "" || p.Location != "" || doc.Markdown(p.Intro) == "" {
				t.Errorf("accent, location, intro = %q, %q, %q", p.Accent, p.Location, doc.Markdown(p.Intro))
			}
		})
	}
}

// seedURLs are every link of the seed CVs: each must be in the bundled profile.
var seedURL = regexp.MustCompile(`https?://[^\s<>")\]]+`)

// TestBundledKeepsEveryFact checks that every fact of the seed CVs is in the bundled
// profile that was made from them: employers, roles, dates, projects, talks, awards,
// schools, contacts, and every URL the seed links to.
func TestBundledKeepsEveryFact(t *testing.T) {
	facts := map[string][]string{
		"rohit.md": {
			// employers and roles, with their dates
			"ANI Technologies (aka OlaCabs)", "https://www.olacabs.com", "Production Engineer II", "January 2016 – present",
			"Knowlarity", "http://www.knowlarity.com", "1 year, 6 months", "Technical Lead - DevOps", "June 2014 – November 2015",
			"Plivo", "https://www.plivo.com", "1 year, 11 months", "Devops Lead", "January 2014 – March 2014",
			"Product Engineer", "September 2013 – January 2014", "Lead Infrastructure Engineer", "May 2012 – September 2013",
			"Tata Consultancy Services (TCS)", "http://www.tcs.com", "10 months", "Assistant Systems Engineer - Trainee",
			"July 2011 – April 2012", "over 100", "million+ bookings per day", "Sequoia Capital", "Mayfield",
			"Y-Combinator (YC)", "Andressssen Horowitz", "Battery ventures", "Qualcomm", "team of nine developers",
			"team of 8 members", "batch of 41 people", "group of 3 members",
			// projects and their dates
			"Graylog - Centralized logging platform", "April 2016 – present", "500k+ messages per sec",
			"100TB+", "FOSS Asia 2017 talk: <https://youtu.be/ZkRPj34UWfs>",
			"Centralized monitoring - Prometheus & OpenTSDB", "February 2016 – present",
			"Mesos/Marathon/Chronos cluster", "February 2016 – November 2016",
			"Dr. Octopus - Event driven infra failovers", "September 2016 – present",
			"Bloody Mary", "November 2016 – March 2017", "Bosun",
			"Konfilarity", "July 2014 – November 2015", "Shinken",
			"SethJi", "December 2014 – January 2015", "https://github.com/rohit01/sethji",
			"Docker Shinken", "December 2014", "https://github.com/rohit01/docker_shinken",
			"http://www.rohit.io/blog/rip-nagios-hello-docker-shinken.html", "shinken_thruk_graphite",
			"Zero Users", "August 2014 – September 2014", "https://github.com/rohit01/zero-users", "Built with ♥ and Ansible",
			"Dikhao", "February 2014 – July 2014", "pip install dikhao", "https://github.com/rohit01/dikhao",
			"PlivoCloud", "PlivoCommercial", "Tank", "May 2012 – September 2013", "Plivo Statusboard", "24X7",
			"Android Sudoku Solver", "January 2012 – April 2012", "https://github.com/rohit01/AndroidSudokuSolver",
			"TCS BαNCS Service Integrator", "October 2011 – April 2012", "Hudson framework",
			"National Self Employment Program - NSEP", "July 2011 – September 2011",
			"StegoSoft", "July 2010 – June 2011", "https://github.com/rohit01/stegosoft",
			// skills
			"golang, Python, Ruby, Shell scripting (bash)", "C, Java, Lua", "OS X (Mac), Linux (Debian, Ubuntu, CentOS)",
			"Ansible, Chef", "Route53", "Rackspace", "NRPE plugins", "Mesos Marathon Clusters",
			"Kafka, Elasticsearch, Graylog, Heka, Filebeat, fluentd, cadvisor, sentry", "Python Flask",
			// talks, awards, initiatives
			"FOSS Asia 2017, The Fifth Elephant 2016, PyCon India 2015", "PyCon Singapore 2013, PyCon India 2012",
			"'Star of the Learners Group' at TCS Trivandrum on 23/09/2011", "'ILP Top Performer (13-Oct-2011)'",
			"'Certificate of Appreciation'", "LIREL Honor", "1st prize in the 'Konfigure' event", "'MUKTI",
			"February 4 to 6, 2011, at NIT Durgapur", "GNU/Linux User Group of KGEC",
			"tech sessions, meetups and conferences", "maintained Linux servers at the university",
			// education
			"B. Tech in Information Technology", "2007 – 2011", "Kalyani Government Engineering College",
			"CBSE - XII", "2006 – 2007", "Guru Teg Bahadur Public School", "ICSE - X", "2004 – 2005",
			"Assembly of God Church School",
			// recommendations
			"Michael Ricordeau", "Co-Founder, Plivo (YC S2012)", "Saas/Paas infrastructure",
			"Vimal Gupta", "Senior Director, Knowlarity Communications", "a very bright career ahead",
			// contact and the date of the CV
			"hello@rohit.io", "April 2017",
		},
		"ankush.md": {
			"Koinex.in", "Mumbai, India", "Dec 2017 – Oct 2018", "Senior Platform Engineer", "Pushman",
			"a million concurrent connections", "20+ trading pairs", "Koinex Loop", "Koinex P2P",
			"charting data pipeline", "MongoDB data migration", "Node.js, Python, JAVA, Go",
			"PayPal", "Bengaluru, India", "Jul 2016 – Dec 2017", "Incentives Platfrom", "First Party Tracking Infrastructure",
			"Java, C++, Node.js",
			"Google Summer of Code", "syslog-ng", "May – Aug 2016", "GNU-Mailman", "Mar – Aug 2015", "mailman-client",
			"Bluebird, Mocha, Sinon, Chai, Lodash", "Summer Internship'15", "GetMeAShop", "May – Jun 2015",
			"MakeMyMails", "Oct 2013 – Feb 2014", "Startup-dash, New Delhi, 2014", "Google Cloud Developer Challenge 2013-2014",
			"PyCon India", "Sep 2014", "Human Computer Interaction",
			"ptop", "MacOSX & Linux", "lehar", "histograms",
			"Clubs Of Programmers", "CLUB OF PROGRAMMERS", "Code-4-2day", "UDYAM",
			"B.Tech ECE", "IIT-BHU", "2012 – 2016", "8.22/10", "CBSE XIIth (Intermediate)", "`2011`", "88.2%",
			"CBSE Xth (Matriculation)", "`2009`", "94.2%",
			"**Python**", "**Node.js/JavaScript**", "**Golang**", "**Java**", "**C/C++**", "**Kubernetes**",
			"**Django**", "**Express**", "**Postgres**", "**Redis**", "EC2, Aurora, ALBs, VPCs etc.", "**Cloudflare**",
			"low latency resilient distributed systems", "fraud detection", "Linux internals",
			"alias **darxtrix**", "darxtrix@gmail.com",
			// the Writing section, from the blog index
			"Notes on scaling realtime messaging to a million messages per second at Koinex",
			"July 2015", "GitHub trending", "Publish-Subscribe", "network sensor", "captive portal", "educational purposes",
		},
	}
	seeds := map[string]string{"rohit.md": "testdata/seeds/rohit-cv.md", "ankush.md": "testdata/seeds/ankush-cv.md"}
	for file, want := range facts {
		t.Run(file, func(t *testing.T) {
			p := loadBundled(t, file)
			text := strings.Join(strings.Fields(allText(p)), " ") // facts may wrap across lines
			for _, fact := range want {
				if !strings.Contains(text, fact) {
					t.Errorf("fact %q is missing", fact)
				}
			}
			seed := string(mustReadFile(t, seeds[file]))
			for _, u := range seedURL.FindAllString(seed, -1) {
				if !strings.Contains(text, u) {
					t.Errorf("URL %s of the seed is missing", u)
				}
			}
			writing := ""
			if i := p.SectionIndex("writing"); i >= 0 {
				writing = doc.Markdown(p.Sections[i].Blocks)
			}
			if strings.Contains(writing, "Medium app") || strings.Contains(writing, "App Store") {
				t.Error("the blog's app-store boilerplate got into the Writing section")
			}
		})
	}
}
